import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { REPO_ROOT } from "../support/cli.ts";
import { eventually, jobOf, jobsPublisher, publishEvent, publishHeartbeat } from "../server/jobs-helpers.ts";

/** `trellis jobs ...` as processes against a real stack (tooling.md §3.3, §4). */

let stack: LocalStack;
let pub: Awaited<ReturnType<typeof jobsPublisher>>;
const done = jobOf("clisvc", "report");
const pending = jobOf("clisvc", "report");

beforeAll(async () => {
  stack = await startLocalStack();
  pub = await jobsPublisher(stack);
  await publishEvent(pub.js, done.created());
  await publishEvent(pub.js, done.started());
  await publishEvent(pub.js, done.event("completed", { result: { rows: 3 } }));
  await publishEvent(pub.js, pending.created());
  await eventually(async () => {
    const listed = await stack.cli(["jobs", "list", "--service", "clisvc", "--json"]);
    const page = JSON.parse(listed.stdout || "{}") as { entries?: { state: string }[] };
    return page.entries?.length === 2 && page.entries.some((j) => j.state === "completed") ? true : undefined;
  }, "both jobs projected");
}, 60_000);

afterAll(async () => {
  await pub?.close();
  await stack?.stop();
});

describe("trellis jobs list|get|cancel", () => {
  test("list prints the table, and --json the page", async () => {
    const text = await stack.cli(["jobs", "list", "--service", "clisvc"]);
    expect(text.exitCode).toBe(0);
    const [header, ...rows] = text.stdout.trim().split("\n");
    expect(header).toMatch(/^ID\s+SERVICE\s+TYPE\s+STATE\s+TRIES\s+UPDATED\s+DETAIL$/);
    expect(rows.map((row) => row.split(/\s+/).slice(0, 4))).toEqual([
      [pending.id, "clisvc", "report", "pending"],
      [done.id, "clisvc", "report", "completed"],
    ]);
    const json = await stack.cli([
      "jobs",
      "list",
      "--service",
      "clisvc",
      "--state",
      "completed",
      "--limit",
      "1",
      "--json",
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      count: 1,
      offset: 0,
      limit: 1,
      entries: [{ id: done.id, result: { rows: 3 } }],
    });
  });

  test("bad flag values name the flag and exit 2 before anything is sent", async () => {
    const limit = await stack.cli(["jobs", "list", "--limit", "0"]);
    expect([limit.exitCode, limit.stderr.trim()]).toEqual([
      2,
      "error: --limit must be an integer from 1 to 1000, got '0'",
    ]);
    const state = await stack.cli(["jobs", "list", "--state", "done", "--json"]);
    expect(state.exitCode).toBe(2);
    expect(JSON.parse(state.stderr).error.message).toContain("--state: unknown 'done'; expected pending, active");
    const dismiss = await stack.cli(["jobs", "dlq", "dismiss", pending.id]);
    expect(dismiss.exitCode).toBe(2);
    expect(dismiss.stderr).toContain("hint: run again with --yes");
  });

  test("get shows the record; an unknown id exits 6", async () => {
    const got = await stack.cli(["jobs", "get", done.id]);
    expect(got.exitCode).toBe(0);
    expect(got.stdout).toContain(`id: ${done.id}\n`);
    expect(got.stdout).toContain("state: completed\n");
    expect(got.stdout).toContain('result: {"rows":3}');
    const missing = await stack.cli(["jobs", "get", "01NOSUCHJOB", "--json"]);
    expect(missing.exitCode).toBe(6);
    expect(JSON.parse(missing.stderr).error).toMatchObject({ code: "NotFoundError", exit: 6 });
  });

  test("cancel reports per id; an illegal state is a ValidationError (exit 3) naming the state", async () => {
    const refused = await stack.cli(["jobs", "cancel", done.id]);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain(`job ${done.id} is completed; Jobs.Cancel needs pending or retry or active`);
    const cancelled = await stack.cli(["jobs", "cancel", pending.id, "--json"]);
    expect(cancelled.exitCode).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ results: [{ id: pending.id, job: { state: "cancelled" } }] });
  });

  test("services and health", async () => {
    const services = await stack.cli(["jobs", "services", "--json"]);
    expect(services.exitCode).toBe(0);
    expect(JSON.parse(services.stdout).entries).toContainEqual({ name: "clisvc", healthy: false, workers: [] });
    const health = await stack.cli(["jobs", "health", "--json"]);
    expect(JSON.parse(health.stdout).status).toBe("healthy");
    expect(health.exitCode).toBe(0);
  });
});

describe("trellis jobs tail", () => {
  test("prints one JSON line per event until SIGINT, then exits 0", async () => {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, "src", "cli", "main.ts"), "jobs", "tail", "--service", "tailsvc", "--workers", "--json"],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, NO_COLOR: "1", TRELLIS_CONFIG_DIR: stack.adminDir },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    try {
      // The tail follows what is stored once it is open: probe heartbeats until the first line.
      let n = 0;
      await eventually(
        async () => {
          await publishHeartbeat(pub.nc, {
            service: "tailsvc",
            jobType: "t",
            instanceId: `probe-${n++}`,
            timestamp: new Date().toISOString(),
          });
          await Bun.sleep(100);
          return stdout.includes("\n") ? true : undefined;
        },
        `the tail to print (stderr: ${stderr})`,
        20_000,
      );
      const job = jobOf("tailsvc", "t");
      await publishEvent(pub.js, job.created());
      await publishEvent(pub.js, job.started());
      await publishEvent(pub.js, job.event("failed", { error: "Bad: input" }));
      await eventually(() => (stdout.includes('"eventType":"failed"') ? true : undefined), "the failed line");
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { eventType?: string; instanceId?: string; error?: string })
      .filter((frame) => frame.instanceId?.startsWith("probe-") !== true);
    expect(lines.map((frame) => frame.eventType)).toEqual(["created", "started", "failed"]);
    expect(lines[2]?.error).toBe("Bad: input");
  }, 40_000);

  test("text lines carry time, service/type, id, event, state, tries and error", async () => {
    const { renderTailFrame } = await import("../../src/cli/commands/jobs/jobs-render.ts");
    const job = jobOf("svc", "kind", "01JOBID");
    const line = renderTailFrame({
      ...job.event("retry", { error: "Timeout: slow", tries: 2 }),
      timestamp: "2030-01-01T00:00:00.000Z",
    });
    expect(line).toBe(
      '2030-01-01T00:00:00.000Z  svc/kind  01JOBID  retry  state=retry  tries=2  error="Timeout: slow"',
    );
  });

  test("--since first prints the matching rows; following a job that already settled exits at once (0 completed)", async () => {
    const history = await stack.cli(["jobs", "tail", done.id, "--since", "1h", "--json"]);
    expect(history.exitCode).toBe(0);
    expect(
      history.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([{ history: true, job: expect.objectContaining({ id: done.id, state: "completed" }) }]);
    const table = await stack.cli(["jobs", "tail", done.id, "--since", "1h"]);
    expect(table.stdout).toMatch(/^ID\s+SERVICE\s+TYPE\s+STATE/);
    expect(table.stdout).toContain(done.id);
    const bad = await stack.cli(["jobs", "tail", "--since", "yesterday"]);
    expect(bad.exitCode).toBe(2);
  });

  test("polling (a session without admin.stream) prints each job as its state moves, and exits when the followed one settles", async () => {
    const { pollJobs } = await import("../../src/cli/commands/jobs/tail-polling.ts");
    const job = jobOf("pollsvc", "p");
    await publishEvent(pub.js, job.created());
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      const polling = pollJobs(
        stack.admin.client,
        {},
        { id: job.id, exitOnSettle: true, json: false, signal: new AbortController().signal, intervalMs: 100 },
      );
      await eventually(
        async () => (printed.some((line) => line.includes("state=pending")) ? true : undefined),
        "pending",
      );
      await publishEvent(pub.js, job.started());
      await publishEvent(pub.js, job.event("failed", { error: "Bad: input" }));
      expect((await polling).orThrow()).toBe(7);
    } finally {
      process.stdout.write = write;
    }
    expect(printed.at(-1)).toMatch(
      new RegExp(`pollsvc/p  ${job.id}  state=failed  tries=\\d+/\\d+  error="Bad: input"  \\(polling\\)`),
    );
  });
});
