import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { AckPolicy, jetstreamManager } from "@nats-io/jetstream";
import {
  jobConsumerName,
  jobsContract,
  jobWorkSubject,
  JOBS_STREAM,
  JOBS_WORK_STREAM,
  type Job,
  type JobEvent,
  type WorkerHeartbeat,
} from "../../src/contracts/index.ts";
import { FeedClient, silentLogger } from "../../src/runtime/index.ts";
import { purgeHeartbeats } from "../../src/server/jobs/heartbeat-purge.ts";
import { openJobsDb } from "../../src/server/jobs/jobs-db.ts";
import { PresenceRows } from "../../src/server/jobs/presence-rows.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import {
  eventually,
  jobOf,
  jobsPublisher,
  jobsRpc,
  publishEvent,
  publishHeartbeat,
  tailIsLive,
} from "./jobs-helpers.ts";

/** The jobs admin runtime in the control plane (jobs.md §10-§13), against a real stack. */

let stack: LocalStack;
let pub: Awaited<ReturnType<typeof jobsPublisher>>;
const rpc = jobsRpc();

beforeAll(async () => {
  // A fast janitor so a past deadline is swept within the test.
  stack = await startLocalStack({ config: { jobs: { janitorIntervalMs: 200 } } });
  pub = await jobsPublisher(stack);
}, 60_000);

afterAll(async () => {
  await pub?.close();
  await stack?.stop();
});

type ListInput = {
  service?: string;
  type?: string;
  state?: Job["state"][];
  since?: string;
  offset?: number;
  limit: number;
};
const call = {
  get: (id: string) => stack.admin.client.call(rpc["Jobs.Get"], { id }),
  list: (input: ListInput) => stack.admin.client.call(rpc["Jobs.List"], input),
};

/** The projected job once `predicate` holds. */
const projected = (id: string, predicate: (job: Job) => boolean = () => true) =>
  eventually(async () => {
    const got = await call.get(id);
    return got.isOk() && predicate(got.value.job) ? got.value.job : undefined;
  }, `job ${id}`);

describe("projector (§10, §11)", () => {
  test("events published by a service become rows, in stream order, following the reducer", async () => {
    const job = jobOf("billing", "invoice");
    await publishEvent(pub.js, job.created({ deadline: "2999-01-01T00:00:00.000Z" }));
    await publishEvent(pub.js, job.started());
    await publishEvent(pub.js, job.event("progress", { progress: { current: 1, total: 2 } }));
    await publishEvent(
      pub.js,
      job.event("logged", { logs: [{ timestamp: new Date().toISOString(), level: "info", message: "half" }] }),
    );
    await publishEvent(pub.js, job.event("completed", { result: { total: 42 } }));
    // Terminal precedence: a later outcome changes nothing.
    await publishEvent(pub.js, job.event("failed", { error: "Late: ignored" }));
    const row = await projected(job.id, (j) => j.state === "completed");
    expect(row).toMatchObject({
      id: job.id,
      service: "billing",
      type: "invoice",
      state: "completed",
      payload: { n: 1 },
      result: { total: 42 },
      tries: 1,
      maxTries: 3,
      progress: { current: 1, total: 2 },
      deadline: "2999-01-01T00:00:00.000Z",
    });
    expect(row.logs?.map((entry) => entry.message)).toEqual(["half"]);
    expect(row.lastError).toBeUndefined();
  });

  test("undecodable messages and bodies that contradict their subject are skipped; later events still apply", async () => {
    const job = jobOf("billing", "invoice");
    await pub.js.publish(`trellis.jobs.billing.invoice.${job.id}.created`, "not json");
    // A body naming another service than its subject must not project.
    const forged = jobOf("billing", "invoice", job.id).created();
    await pub.js.publish(
      `trellis.jobs.billing.invoice.${job.id}.created`,
      JSON.stringify({ ...forged, service: "payroll" }),
    );
    await publishEvent(pub.js, job.created());
    const row = await projected(job.id);
    expect(row.service).toBe("billing");
    expect(row.state).toBe("pending");
  });
});

describe("janitor (§10, invariant 11)", () => {
  test("expires only live jobs past their deadline", async () => {
    const past = new Date(Date.now() - 1000).toISOString();
    const due = jobOf("billing", "sweep");
    const future = jobOf("billing", "sweep");
    const done = jobOf("billing", "sweep");
    await publishEvent(pub.js, due.created({ deadline: past }));
    await publishEvent(pub.js, future.created({ deadline: new Date(Date.now() + 3600_000).toISOString() }));
    await publishEvent(pub.js, done.created({ deadline: past }));
    await publishEvent(pub.js, done.started());
    await publishEvent(pub.js, done.event("completed", { result: 1 }));
    const expired = await projected(due.id, (j) => j.state === "expired");
    expect(expired).toMatchObject({ lastError: "job exceeded deadline", tries: 0 });
    // Give the janitor several more sweeps: the others stay as they were.
    await Bun.sleep(600);
    expect((await call.get(future.id)).orThrow().job.state).toBe("pending");
    expect((await call.get(done.id)).orThrow().job.state).toBe("completed");
    // One expired event, however many sweeps ran before it was projected.
    const jsm = await jetstreamManager(pub.nc);
    const info = await jsm.streams.info(JOBS_STREAM, {
      subjects_filter: `trellis.jobs.billing.sweep.${due.id}.expired`,
    });
    expect(info.state.subjects).toEqual({ [`trellis.jobs.billing.sweep.${due.id}.expired`]: 1 });
  });
});

describe("advisory consumer (§10, invariant 7)", () => {
  test("a work item exhausting max_deliver makes its job dead once and is deleted; a terminal job gets no dead", async () => {
    const jsm = await jetstreamManager(pub.nc);
    const consumer = jobConsumerName("billing", "fragile");
    // The queue's consumer as a worker creates it (§6), with max_deliver 1 so one NAK exhausts it.
    await jsm.consumers.add(JOBS_WORK_STREAM, {
      durable_name: consumer,
      filter_subject: jobWorkSubject("billing", "fragile"),
      ack_policy: AckPolicy.Explicit,
      max_deliver: 1,
      ack_wait: 30_000_000_000,
    });
    const alive = jobOf("billing", "fragile");
    const settled = jobOf("billing", "fragile");
    await publishEvent(pub.js, alive.created());
    await publishEvent(pub.js, settled.created());
    await publishEvent(pub.js, settled.started());
    await publishEvent(pub.js, settled.event("cancelled"));
    await projected(settled.id, (j) => j.state === "cancelled");

    // A worker NAKs each delivery; the server notices the exhausted items on later pulls, so keep pulling.
    const work = await pub.js.consumers.get(JOBS_WORK_STREAM, consumer);
    const seqs: number[] = [];
    let pulling = true;
    const worker = (async () => {
      while (pulling) {
        const msg = await work.next({ expires: 1000 });
        if (msg === null) continue;
        seqs.push(msg.seq);
        msg.nak();
      }
    })();

    const dead = await projected(alive.id, (j) => j.state === "dead");
    expect(dead.lastError).toBe(`max deliveries exceeded: stream=JOBS_WORK consumer=${consumer} deliveries=1`);
    expect(dead.tries).toBe(1);
    // Both work messages are deleted, and the cancelled job got no dead event.
    await eventually(async () => {
      const left = await Promise.all(
        seqs.map((seq) => jsm.streams.getMessage(JOBS_WORK_STREAM, { seq }).catch(() => null)),
      );
      return seqs.length === 2 && left.every((m) => m === null) ? true : undefined;
    }, "work messages deleted");
    pulling = false;
    await worker;
    expect(seqs.length).toBe(2);
    const info = await jsm.streams.info(JOBS_STREAM, { subjects_filter: `trellis.jobs.billing.fragile.*.dead` });
    expect(Object.keys(info.state.subjects ?? {})).toEqual([`trellis.jobs.billing.fragile.${alive.id}.dead`]);
    expect((await call.get(settled.id)).orThrow().job.state).toBe("cancelled");
  });
});

describe("admin RPCs (§12, invariants 12 and 13)", () => {
  test("Get of an unknown id is the declared NotFoundError", async () => {
    const got = await call.get("01UNKNOWNJOB");
    expect(got.isErr() && got.error.toJSON()).toMatchObject({
      type: "NotFoundError",
      resource: "Job",
      jobId: "01UNKNOWNJOB",
    });
    const cancel = await stack.admin.client.call(rpc["Jobs.Cancel"], { id: "01UNKNOWNJOB" });
    expect(cancel.isErr() && cancel.error.type).toBe("NotFoundError");
  });

  test("mutations in an illegal state are ValidationErrors naming state, expected and actual", async () => {
    const job = jobOf("billing", "mutate");
    await publishEvent(pub.js, job.created());
    await publishEvent(pub.js, job.started());
    await publishEvent(pub.js, job.event("completed", { result: 1 }));
    await projected(job.id, (j) => j.state === "completed");
    for (const [method, expected] of [
      ["Jobs.Cancel", ["pending", "retry", "active"]],
      ["Jobs.Retry", ["failed"]],
      ["Jobs.ReplayDLQ", ["dead"]],
      ["Jobs.DismissDLQ", ["dead"]],
    ] as const) {
      const out = await stack.admin.client.call(rpc[method], { id: job.id });
      expect(out.isErr() && out.error.toJSON()).toMatchObject({
        type: "ValidationError",
        context: { field: "state", expected, actual: "completed" },
      });
    }
    // The mutations wrote nothing.
    expect((await call.get(job.id)).orThrow().job.state).toBe("completed");
  });

  test("cancel, retry, replay and dismiss publish events and answer with the projected row", async () => {
    const pending = jobOf("billing", "mutate");
    await publishEvent(pub.js, pending.created());
    await projected(pending.id);
    const cancelled = (await stack.admin.client.call(rpc["Jobs.Cancel"], { id: pending.id })).orThrow();
    expect(cancelled.job).toMatchObject({ state: "cancelled", tries: 0 });
    expect((await call.get(pending.id)).orThrow().job.state).toBe("cancelled");

    const failing = jobOf("billing", "mutate");
    const createdAt = new Date(Date.now() - 10_000).toISOString();
    await publishEvent(
      pub.js,
      failing.created({ timestamp: createdAt, deadline: new Date(Date.parse(createdAt) + 60_000).toISOString() }),
    );
    await publishEvent(pub.js, failing.started());
    await publishEvent(pub.js, failing.event("failed", { error: "Bad: input" }));
    await projected(failing.id, (j) => j.state === "failed");
    const before = Date.now();
    const retried = (await stack.admin.client.call(rpc["Jobs.Retry"], { id: failing.id })).orThrow().job;
    expect(retried).toMatchObject({ state: "pending", tries: 0, maxTries: 3, payload: { n: 1 } });
    expect(retried.lastError).toBeUndefined();
    // A fresh deadline: the original span (60 s) from now.
    const deadline = Date.parse(retried.deadline!);
    expect(deadline).toBeGreaterThanOrEqual(before + 60_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 60_000);

    const dead = jobOf("billing", "mutate");
    await publishEvent(pub.js, dead.created());
    await publishEvent(pub.js, dead.event("dead", { error: "max deliveries exceeded" }));
    const other = jobOf("billing", "mutate");
    await publishEvent(pub.js, other.created());
    await publishEvent(pub.js, other.event("dead", { error: "max deliveries exceeded" }));
    await projected(other.id, (j) => j.state === "dead");
    const dlq = (await stack.admin.client.call(rpc["Jobs.ListDLQ"], { type: "mutate", limit: 10 })).orThrow();
    expect(dlq.entries.map((j) => j.id).sort()).toEqual([dead.id, other.id].sort());
    expect((await stack.admin.client.call(rpc["Jobs.ReplayDLQ"], { id: dead.id })).orThrow().job.state).toBe("pending");
    expect((await stack.admin.client.call(rpc["Jobs.DismissDLQ"], { id: other.id })).orThrow().job.state).toBe(
      "dismissed",
    );
    expect((await stack.admin.client.call(rpc["Jobs.ListDLQ"], { type: "mutate", limit: 10 })).orThrow().count).toBe(0);
  });

  test("List pages by count/offset/limit/nextOffset, newest first, with state and since filters", async () => {
    const jobs = [1, 2, 3, 4, 5].map(() => jobOf("paging", "list"));
    for (const [i, job] of jobs.entries()) {
      await publishEvent(pub.js, job.created({ timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString() }));
    }
    await publishEvent(
      pub.js,
      jobs[0]!.event("cancelled", { timestamp: new Date(Date.UTC(2030, 0, 1, 0, 1)).toISOString() }),
    );
    await projected(jobs[0]!.id, (j) => j.state === "cancelled");
    await projected(jobs[4]!.id);

    const pages: { entries: Job[]; count: number; offset: number; limit: number; nextOffset?: number }[] = [];
    for (let offset: number | undefined = 0; offset !== undefined;) {
      const page: (typeof pages)[number] = (await call.list({ service: "paging", offset, limit: 2 })).orThrow();
      pages.push(page);
      offset = page.nextOffset;
    }
    expect(pages.map((p) => [p.count, p.offset, p.limit, p.nextOffset])).toEqual([
      [5, 0, 2, 2],
      [5, 2, 2, 4],
      [5, 4, 2, undefined],
    ]);
    // updated_at DESC: the cancelled one (updated last), then creation order reversed.
    expect(pages.flatMap((p) => p.entries.map((j) => j.id))).toEqual([0, 4, 3, 2, 1].map((i) => jobs[i]!.id));

    expect(
      (await call.list({ service: "paging", state: ["cancelled"], limit: 10 })).orThrow().entries.map((j) => j.id),
    ).toEqual([jobs[0]!.id]);
    expect((await call.list({ service: "paging", state: [], limit: 10 })).orThrow()).toEqual({
      entries: [],
      count: 0,
      offset: 0,
      limit: 10,
    });
    const since = (await call.list({ service: "paging", since: "2030-01-01T00:00:03Z", limit: 10 })).orThrow();
    expect(since.entries.map((j) => j.id)).toEqual([0, 4, 3].map((i) => jobs[i]!.id));

    const bad = await call.list({ limit: 0 });
    expect(bad.isErr() && bad.error.type).toBe("ValidationError");
    const badState = await stack.admin.client.call(rpc["Jobs.List"], { limit: 1, state: ["sleeping" as never] });
    expect(badState.isErr() && JSON.stringify(badState.error.toJSON())).toContain("/state/0");
  });

  test("ListServices shows only workers fresh within 90 s; healthy means at least one", async () => {
    const now = Date.now();
    await publishHeartbeat(pub.nc, {
      service: "fresh-svc",
      jobType: "a",
      instanceId: "i1",
      concurrency: 2,
      timestamp: new Date(now).toISOString(),
    });
    await publishHeartbeat(pub.nc, {
      service: "stale-svc",
      jobType: "a",
      instanceId: "i2",
      timestamp: new Date(now - 120_000).toISOString(),
    });
    // A heartbeat whose body does not match its subject is dropped.
    await pub.js.publish(
      "trellis.jobs.workers.stale-svc.a.i3.heartbeat",
      JSON.stringify({ service: "fresh-svc", jobType: "a", instanceId: "i3", timestamp: new Date(now).toISOString() }),
    );
    const services = await eventually(async () => {
      const page = (await stack.admin.client.call(rpc["Jobs.ListServices"], { limit: 100 })).orThrow();
      const names = page.entries.map((s) => s.name);
      return names.includes("fresh-svc") && names.includes("stale-svc") ? page : undefined;
    }, "both services");
    const byName = Object.fromEntries(services.entries.map((s) => [s.name, s]));
    expect(byName["fresh-svc"]).toMatchObject({ healthy: true, workers: [{ instanceId: "i1", concurrency: 2 }] });
    expect(byName["stale-svc"]).toEqual({ name: "stale-svc", healthy: false, workers: [] });
    // Services with jobs but no workers are listed too, unhealthy.
    expect(byName["billing"]).toMatchObject({ healthy: false, workers: [] });
    const first = (await stack.admin.client.call(rpc["Jobs.ListServices"], { limit: 1 })).orThrow();
    expect([first.entries.length, first.nextOffset]).toEqual([1, 1]);
  });

  test("Health reports the database, JOBS and the owner's loops", async () => {
    const health = await eventually(async () => {
      const report = (await stack.admin.client.call(rpc["Jobs.Health"], {})).orThrow();
      return report.status === "healthy" ? report : undefined;
    }, "healthy");
    expect(health.checks.map((c) => c.name)).toEqual(["sqlite", "jobs-stream", "projector", "presence", "advisories"]);
    expect(health.checks[0]?.info).toMatchObject({ role: "owner" });
  });
});

describe("Jobs.Tail (§12)", () => {
  test("frames are the JobEvents matching the filter, and heartbeats with workers", async () => {
    const feeds = new FeedClient(stack.admin.nc, { keys: stack.admin.keys, timeoutMs: 5000 });
    const job = jobOf("tailed", "t");
    const tail = (
      await feeds.open(jobsContract().API.owned.feeds["Jobs.Tail"], {
        service: "tailed",
        events: ["created", "completed"],
        workers: true,
      })
    ).orThrow();
    const frames: unknown[] = [];
    const reading = (async () => {
      for await (const frame of tail) {
        frames.push(frame);
        if ("eventType" in frame && frame.eventType === "completed") break;
      }
    })();
    // The tail delivers what is stored once it is open: send probe heartbeats until one arrives.
    await tailIsLive(pub.nc, "tailed", "t", frames);
    await publishEvent(pub.js, job.created());
    await publishEvent(pub.js, job.started());
    await publishHeartbeat(pub.nc, {
      service: "tailed",
      jobType: "t",
      instanceId: "w1",
      timestamp: new Date().toISOString(),
    });
    await publishHeartbeat(pub.nc, {
      service: "other",
      jobType: "t",
      instanceId: "w2",
      timestamp: new Date().toISOString(),
    });
    await publishEvent(pub.js, job.event("completed", { result: "ok" }));
    await reading;
    tail.close();
    const seen = frames
      .map((f) =>
        "eventType" in (f as JobEvent) ? (f as JobEvent).eventType : `heartbeat:${(f as WorkerHeartbeat).instanceId}`,
      )
      .filter((name) => !name.startsWith("heartbeat:probe-"));
    expect(seen).toEqual(["created", "heartbeat:w1", "completed"]);
    const created = frames.find((f) => (f as JobEvent).eventType === "created");
    expect(created).toMatchObject({ jobId: job.id, payload: { n: 1 } });
  });
});
describe("heartbeat purge (§13)", () => {
  test("keeps the newest heartbeat per worker, none (and forgets the worker) after a day of silence", async () => {
    const now = Date.now();
    for (const ago of [3000, 2000, 1000]) {
      await publishHeartbeat(pub.nc, {
        service: "purged",
        jobType: "p",
        instanceId: "live",
        timestamp: new Date(now - ago).toISOString(),
      });
      await publishHeartbeat(pub.nc, {
        service: "purged",
        jobType: "p",
        instanceId: "gone",
        timestamp: new Date(now - 2 * 86_400_000 - ago).toISOString(),
      });
    }
    // The owner's rows, read through a second handle on the same file.
    const db = openJobsDb(stack.config.jobs.dbPath).orThrow();
    const presence = new PresenceRows(db);
    await eventually(
      () => (presence.all().filter((h) => h.service === "purged").length === 2 ? true : undefined),
      "both workers",
    );
    await purgeHeartbeats(pub.nc, { presence, logger: silentLogger }, now);
    const jsm = await jetstreamManager(pub.nc);
    const info = await jsm.streams.info(JOBS_STREAM, { subjects_filter: "trellis.jobs.workers.purged.>" });
    expect(info.state.subjects).toEqual({ "trellis.jobs.workers.purged.p.live.heartbeat": 1 });
    expect(
      presence
        .all()
        .filter((h) => h.service === "purged")
        .map((h) => h.instanceId),
    ).toEqual(["live"]);
  });
});

describe("ownership (§10)", () => {
  test("a second replica on the same database stands by and serves the RPCs", async () => {
    const replica = await stack.startReplica();
    expect(replica.jobsAdmin?.role).toBe("standby");
    expect(stack.planes[0]!.jobsAdmin?.role).toBe("owner");
    const listed = (await stack.admin.client.call(rpc["Jobs.List"], { limit: 1 })).orThrow();
    expect(listed.count).toBeGreaterThan(0);
    await replica.stop();
    stack.planes.splice(stack.planes.indexOf(replica), 1);
  });
});

describe("rebuild (§10, invariant 3)", () => {
  const snapshot = async () => (await stack.admin.client.call(rpc["Jobs.List"], { limit: 1000 })).orThrow().entries;

  test("dropping the database (with or without the durable) rebuilds an identical projection", async () => {
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(10);
    const dbPath = stack.config.jobs.dbPath;
    const jsm = await jetstreamManager(pub.nc);

    // The database alone: the durable has acked past the new file, so it starts over.
    await stack.planes.at(-1)!.stop();
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}-wal`, { force: true });
    rmSync(`${dbPath}-shm`, { force: true });
    await stack.startReplica();
    expect(
      await eventually(async () => {
        const now = await snapshot();
        return JSON.stringify(now) === JSON.stringify(before) ? now : undefined;
      }, "the rebuilt projection"),
    ).toEqual(before);

    // The database and the durable, as jobs.md §10 says.
    await stack.planes.at(-1)!.stop();
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}-wal`, { force: true });
    rmSync(`${dbPath}-shm`, { force: true });
    await jsm.consumers.delete(JOBS_STREAM, "jobs-projector");
    await stack.startReplica();
    expect(
      await eventually(async () => {
        const now = await snapshot();
        return JSON.stringify(now) === JSON.stringify(before) ? now : undefined;
      }, "the rebuilt projection"),
    ).toEqual(before);
  }, 30_000);
});
