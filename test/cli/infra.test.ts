import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import { connectWithCreds, INFRA_DEFINITIONS } from "../../src/server/index.ts";
import { runTrellis } from "../support/cli.ts";
import { startBundleNats, type BundleNats } from "../support/local-stack.ts";

let bundle: BundleNats;
const infra = (args: string[]) => runTrellis(["infra", ...args, "--config", bundle.configPath]);
type Report = { name: string; kind: string; account: string; status: string; drift: { field: string }[] };
const statuses = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout).results as Report[]).map((r) => [r.name, r.status]));

beforeAll(async () => {
  bundle = await startBundleNats();
}, 60_000);

afterAll(async () => {
  await bundle?.stop();
});

describe("trellis infra apply|check", () => {
  test("check before apply: everything missing, exit 4", async () => {
    const run = await infra(["check", "--json"]);
    expect(run.exitCode).toBe(4);
    const json = JSON.parse(run.stdout);
    expect(json.ready).toBe(false);
    expect(new Set(Object.values(statuses(run.stdout)))).toEqual(new Set(["missing"]));
    // Exactly the documented list, nothing else (design/state-buckets.md).
    expect(Object.keys(statuses(run.stdout))).toEqual(INFRA_DEFINITIONS.map((d) => d.name));
  });

  test("apply creates, a second apply finds everything existing, check reports ready", async () => {
    const first = await infra(["apply", "--json"]);
    expect(first.exitCode).toBe(0);
    expect(new Set(Object.values(statuses(first.stdout)))).toEqual(new Set(["created"]));
    const second = await infra(["apply", "--json"]);
    expect(new Set(Object.values(statuses(second.stdout)))).toEqual(new Set(["exists"]));
    const check = await infra(["check"]);
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toMatch(/^KIND\s+NAME\s+ACCOUNT\s+STATUS/);
    expect(check.stdout).toContain("trellis_replay");
  });

  test("the stream and buckets have the documented settings", async () => {
    const nc = await connectWithCreds({
      servers: [bundle.natsUrl],
      credsPath: bundle.config.nats.authCreds,
      name: "t",
    });
    const tc = await connectWithCreds({
      servers: [bundle.natsUrl],
      credsPath: bundle.config.nats.trellisCreds,
      name: "t",
    });
    try {
      const auth = await jetstreamManager(nc);
      // The replay cache is in TRELLIS, where services claim keys on the authentication fast path.
      const replay = await (await jetstreamManager(tc)).streams.info("KV_trellis_replay");
      expect(replay.config.max_age).toBe(nanos(90_000));
      expect(replay.config.max_msgs_per_subject).toBe(1);
      expect((await auth.streams.info("KV_trellis_connections")).config.max_age).toBe(nanos(2 * 3600_000));
      expect((await auth.streams.info("KV_trellis_state")).config.max_age).toBe(0);
      const events = await (await jetstreamManager(tc)).streams.info("trellis");
      expect(events.config.subjects).toEqual(["events.>"]);
      expect(events.config.duplicate_window).toBe(nanos(120_000));
      // jobs.md §4, in TRELLIS: the lifecycle log, the workqueue sourced from it, the advisories.
      const trellisJsm = await jetstreamManager(tc);
      const jobs = (await trellisJsm.streams.info("JOBS")).config;
      expect([jobs.subjects, jobs.retention, jobs.allow_direct, jobs.max_age, jobs.discard]).toEqual([
        ["trellis.jobs.>"],
        "limits" as never,
        true,
        0,
        "old" as never,
      ]);
      const work = (await trellisJsm.streams.info("JOBS_WORK")).config;
      expect([work.subjects, work.retention]).toEqual([["trellis.work.>"], "workqueue" as never]);
      expect(work.sources?.map((s) => [s.name, s.filter_subject ?? "", s.subject_transforms])).toEqual([
        ["JOBS", "", [{ src: "trellis.jobs.*.*.*.created", dest: "trellis.work.$1.$2" }]],
        ["JOBS", "", [{ src: "trellis.jobs.*.*.*.retried", dest: "trellis.work.$1.$2" }]],
      ]);
      const advisories = (await trellisJsm.streams.info("JOBS_ADVISORIES")).config;
      expect(advisories.subjects).toEqual(["$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.JOBS_WORK.>"]);
      expect(advisories.max_age).toBe(nanos(7 * 24 * 3600_000));
    } finally {
      await Promise.all([nc.close(), tc.close()]);
    }
  });

  test("drift that can be fixed is updated; drift that cannot (storage) is drifted, exit 4", async () => {
    const nc = await connectWithCreds({
      servers: [bundle.natsUrl],
      credsPath: bundle.config.nats.authCreds,
      name: "t",
    });
    try {
      const jsm = await jetstreamManager(nc);
      const denials = await jsm.streams.info("KV_trellis_denials");
      await jsm.streams.update("KV_trellis_denials", {
        ...denials.config,
        max_age: nanos(60_000),
        duplicate_window: nanos(60_000),
      });
      const check = await infra(["check", "--json"]);
      expect(check.exitCode).toBe(4);
      const report = (JSON.parse(check.stdout).results as Report[]).find((r) => r.name === "trellis_denials")!;
      expect(report.status).toBe("drifted");
      expect(report.drift.map((d) => d.field)).toContain("max_age");
      const apply = await infra(["apply", "--json"]);
      expect(apply.exitCode).toBe(0);
      expect(statuses(apply.stdout).trellis_denials).toBe("updated");
      expect((await infra(["check"])).exitCode).toBe(0);

      // Storage type cannot change in place: recreate a bucket as memory-backed.
      const users = await jsm.streams.info("KV_trellis_users");
      await jsm.streams.delete("KV_trellis_users");
      await jsm.streams.add({ ...users.config, storage: "memory" as never });
      const drifted = await infra(["apply", "--json"]);
      expect(drifted.exitCode).toBe(4);
      expect(statuses(drifted.stdout).trellis_users).toBe("drifted");
      await jsm.streams.delete("KV_trellis_users");
      expect(statuses((await infra(["apply", "--json"])).stdout).trellis_users).toBe("created");
    } finally {
      await nc.close();
    }
  });

  test("--jetstream-replicas must be a positive integer (exit 2); check compares it when given", async () => {
    for (const bad of ["0", "-1", "1.5", "abc", ""]) {
      expect({ bad, exit: (await infra(["apply", "--jetstream-replicas", bad])).exitCode }).toEqual({ bad, exit: 2 });
    }
    const env = await runTrellis(["infra", "apply", "--config", bundle.configPath], {
      env: { TRELLIS_JETSTREAM_REPLICAS: "x" },
    });
    expect(env.exitCode).toBe(2);
    const three = await infra(["check", "--jetstream-replicas", "3", "--json"]);
    expect(three.exitCode).toBe(4);
    const report = (JSON.parse(three.stdout).results as Report[])[0]!;
    expect(report.drift.map((d) => d.field)).toEqual(["num_replicas"]);
  });

  test("an unreachable server makes everything unavailable (check exit 4, apply exit 5)", async () => {
    const check = await infra(["check", "--servers", "nats://127.0.0.1:1", "--json"]);
    expect(check.exitCode).toBe(4);
    expect(new Set(Object.values(statuses(check.stdout)))).toEqual(new Set(["unavailable"]));
    expect((await infra(["apply", "--servers", "nats://127.0.0.1:1"])).exitCode).toBe(5);
  });

  test("creds are required without a config", async () => {
    const run = await runTrellis(["infra", "check"], { env: { TRELLIS_CONFIG: "" } });
    expect(run.exitCode).toBe(2);
  });
});
