import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Result, silentLogger, TrellisClient, TrellisService } from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance } from "../server/admin-helpers.ts";
import { courier, courierApp } from "../e2e/fixtures/operation-contracts.ts";
import { approvedSession, trellisUrlOf } from "../e2e/support/sessions.ts";

/**
 * `trellis ops list|show|tail` (tooling.md §3.4): a service's operations
 * read straight from its operation-state bucket with plain creds, as
 * processes against a real stack where a real service served them.
 */
let stack: LocalStack;
let service: TrellisService<typeof courier>;
let client: TrellisClient<typeof courierApp>;
let done: string;
let waiting: string;

const ops = (...args: string[]) =>
  stack.cli([
    "ops",
    ...args,
    "--service",
    "courier",
    "--creds",
    stack.config.nats.trellisCreds,
    "--servers",
    stack.natsUrl,
  ]);

beforeAll(async () => {
  stack = await startLocalStack();
  await approveService(stack, "courier", courier.CONTRACT);
  const keys = await provisionInstance(stack, "courier");
  service = (
    await TrellisService.connect({
      trellisUrl: trellisUrlOf(stack),
      contract: courier,
      name: "courier",
      keys,
      logger: silentLogger,
    })
  ).orThrow();
  (
    await service.handle.operation.courier.deliver(async ({ input, op }) => {
      (await op.progress({ percent: 50 })).orThrow();
      if (input.id === "slow") await op.nextSignal("hurry");
      return Result.ok({ by: `van-${input.id}` });
    })
  ).orThrow();
  const caps = [...(courier.API.owned.operations["Courier.Deliver"].capabilities.call ?? [])];
  client = (
    await TrellisClient.connect({
      trellisUrl: trellisUrlOf(stack),
      contract: courierApp,
      logger: silentLogger,
      keys: await approvedSession(stack, courierApp.CONTRACT, caps),
    })
  ).orThrow();
  const first = (await client.operation.courier.deliver.start({ id: "p1" })).orThrow();
  (await first.wait()).orThrow();
  done = first.id;
  const second = (await client.operation.courier.deliver.start({ id: "slow" })).orThrow();
  waiting = second.id;
}, 60_000);

afterAll(async () => {
  await client?.stop();
  await service?.stop();
  await stack?.stop();
});

describe("trellis ops", () => {
  test("list shows both operations, newest first, with their owner; --state filters", async () => {
    const listed = await ops("list");
    expect(listed.exitCode).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split("\n");
    expect(header).toMatch(/^ID\s+OPERATION\s+STATE\s+REVISION\s+UPDATED\s+OWNER$/);
    const cells = rows.map((row) => row.split(/\s+/));
    expect(cells.map((c) => [c[0], c[1]])).toEqual(
      expect.arrayContaining([
        [done, "Courier.Deliver"],
        [waiting, "Courier.Deliver"],
      ]),
    );
    expect(cells.find((c) => c[0] === done)?.[2]).toBe("completed");
    expect(cells.every((c) => c[5]?.startsWith("user:"))).toBe(true);
    const completed = JSON.parse((await ops("list", "--state", "completed", "--json")).stdout) as {
      entries: { id: string }[];
    };
    expect(completed.entries.map((e) => e.id)).toEqual([done]);
  });

  test("show prints the snapshot; an unknown id exits 6", async () => {
    const shown = await ops("show", done);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain("state: completed\n");
    expect(shown.stdout).toContain('output: {"by":"van-p1"}');
    const json = JSON.parse((await ops("show", done, "--json")).stdout) as { snapshot: { revision: number } };
    expect(json.snapshot.revision).toBeGreaterThanOrEqual(4);
    expect((await ops("show", "01NOSUCHOPERATION00000000")).exitCode).toBe(6);
  });

  test("tail prints every event in order and exits 0 when the operation completes", async () => {
    const finished = await ops("tail", done, "--json");
    expect(finished.exitCode).toBe(0);
    const events = finished.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { sequence: number; event: { type: string } });
    expect(events.map((e) => e.event.type)).toEqual(["accepted", "started", "progress", "completed"]);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);

    // The waiting one: the tail follows it live until a signal lets it finish.
    const tail = ops("tail", waiting);
    await Bun.sleep(300);
    const ref = client.operation.courier.deliver.resume(waiting);
    (await ref.signal("hurry", { reason: "now" })).orThrow();
    const followed = await tail;
    expect(followed.exitCode).toBe(0);
    expect(followed.stdout).toMatch(/#\d+\s+completed\s+state=completed\s+output=\{"by":"van-slow"\}/);
  });

  test("an unknown service's bucket exits 6, a bad namespace 2", async () => {
    const unknown = await stack.cli([
      "ops",
      "list",
      "--service",
      "nobody",
      "--creds",
      stack.config.nats.trellisCreds,
      "--servers",
      stack.natsUrl,
    ]);
    expect(unknown.exitCode).toBe(6);
    expect(unknown.stderr).toContain("trellis_operations_nobody: no such bucket");
    expect((await stack.cli(["ops", "list", "--service", "a.b", "--creds", "x"])).exitCode).toBe(2);
  });
});
