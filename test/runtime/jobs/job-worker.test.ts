import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  JobNotCompletedError,
  JobRetryError,
  Result,
  UnexpectedError,
  ValidationError,
  type ActiveJob,
} from "../../../src/runtime/index.ts";
import { withRequestScope } from "../../../src/runtime/observability/request-scope.ts";
import { assertInstanceOf } from "../../support/assert.ts";
import { deferred, JobEnv, sleep, type WorkerService } from "./job-env.ts";

/**
 * The service side of jobs (jobs.md §5-§9, §13) against a real nats-server
 * with the §4 streams: invariants 1, 2, 4, 5, 6, 7, 8, 9, 10 of §16.
 */
describe("job queues: create and the canonical worker flow", () => {
  let env: JobEnv;
  const services: WorkerService[] = [];
  const start = async (...args: Parameters<JobEnv["service"]>) => {
    const service = await env.service(...args);
    services.push(service);
    return service;
  };

  before(async () => {
    env = await JobEnv.start();
  });
  after(async () => {
    await Promise.allSettled(services.map((service) => service.stop()));
    await env?.stop();
  });

  test("create stores one created event (payload, tries 0, maxTries, context, headers) and one work item (inv. 1)", async () => {
    const service = await start({ service: "creator" });

    const bad = await service.jobs.crunch.create({ n: "x" } as never);
    assertInstanceOf(bad.isErr() && bad.error, ValidationError);
    assert.equal(bad.isErr() && bad.error instanceof ValidationError && bad.error.issues[0]?.path, "/payload/n");
    const ref = (await service.jobs.crunch.create({ n: 2 }, { deadlineMs: 60_000 })).orThrow();
    assert.deepEqual([ref.service, ref.queue], ["creator", "crunch"]);
    assert.match(ref.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    const [created, ...rest] = await env.events(ref.id, "creator");
    assert.equal(rest.length, 0);
    assert.equal(created!.subject, `trellis.jobs.creator.crunch.${ref.id}.created`);
    const { event, headers } = created!;
    assert.deepEqual(
      [event.eventType, event.state, event.tries, event.maxTries, event.payload, event.service, event.jobType],
      ["created", "pending", 0, 3, { n: 2 }, "creator", "crunch"],
    );
    assert.ok(Date.parse(event.deadline!) > Date.now() + 50_000);
    assert.match(event.context.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(event.context.traceId, event.context.traceparent.slice(3, 35));
    assert.match(event.context.requestId, /^[0-9A-Z]{26}$/);
    assert.equal(headers["request-id"], event.context.requestId);
    assert.equal(headers.traceparent, event.context.traceparent);
    assert.equal(headers["Nats-Msg-Id"], `${ref.id}.created`);
    // Exactly one work item, sourced into JOBS_WORK under trellis.work.<service>.<job-type>.
    assert.equal(
      await env.until(
        () => env.workItems("creator"),
        (n) => n === 1,
      ),
      1,
    );
    const item = await env.jsm.streams.getMessage("JOBS_WORK", { last_by_subj: "trellis.work.creator.crunch" });
    assert.equal(item?.json<{ jobId: string }>().jobId, ref.id);
    assert.equal((await ref.get()).orThrow()?.state, "pending");
  });

  test("inside a handler a job takes the request's id and trace (§5)", async () => {
    const service = await start({ service: "scoped" });
    const trace = {
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      flags: "01",
      tracestate: "k=v",
    };
    const ref = (
      await withRequestScope({ requestId: "01JREQUEST0000000000000000", trace }, () =>
        service.jobs.crunch.create({ n: 1 }),
      )
    ).orThrow();
    const [created] = await env.events(ref.id, "scoped");
    assert.deepEqual(created!.event.context, {
      requestId: "01JREQUEST0000000000000000",
      traceId: trace.traceId,
      traceparent: `00-${trace.traceId}-${trace.spanId}-01`,
      tracestate: "k=v",
    });
    assert.equal(created!.headers.tracestate, "k=v");
  });

  test("a job runs: started, progress, logged, completed, all with one context and its headers; wait() gives the result (inv. 2)", async () => {
    const service = await start({ service: "runs" });
    let seen: ActiveJob | undefined;
    (
      await service.jobs.crunch.handle(async ({ payload, job }) => {
        seen = job as ActiveJob;
        (await job.progress({ step: "double", current: 1, total: 1 })).orThrow();
        (await job.log("halfway")).orThrow();
        return Result.ok({ doubled: payload.n * 2 });
      })
    ).orThrow();
    const ref = (await service.jobs.crunch.create({ n: 21 })).orThrow();
    assert.deepEqual((await ref.wait({ timeoutMs: 10_000 })).orThrow(), { doubled: 42 });
    const events = await env.events(ref.id, "runs");
    assert.deepEqual(
      events.map((e) => e.event.eventType),
      ["created", "started", "progress", "logged", "completed"],
    );
    const [created, started, progress, logged, completed] = events.map((e) => e.event);
    assert.deepEqual([started!.previousState, started!.tries, started!.state], ["pending", 1, "active"]);
    assert.deepEqual(progress!.progress, { step: "double", current: 1, total: 1 });
    assert.deepEqual(
      logged!.logs?.map((l) => [l.level, l.message]),
      [["info", "halfway"]],
    );
    assert.deepEqual([completed!.state, completed!.result], ["completed", { doubled: 42 }]);
    for (const stored of events) {
      assert.deepEqual(stored.event.context, created!.context);
      assert.equal(stored.headers["request-id"], created!.context.requestId);
      assert.equal(stored.headers.traceparent, created!.context.traceparent);
      assert.ok(stored.headers["Nats-Msg-Id"]);
    }
    assert.equal(new Set(events.map((e) => e.headers["Nats-Msg-Id"])).size, events.length);
    assert.deepEqual([seen?.redeliveryCount(), seen?.isRedelivery(), seen?.id], [0, false, ref.id]);
    assert.equal((await ref.get()).orThrow()?.state, "completed");
    await env.until(
      () => env.workItems("runs"),
      (n) => n === 0,
    );
  });

  test("a settled job's work item is acked unprocessed, even with events after the terminal one; a cancelled pending job never runs (inv. 4, 8)", async () => {
    const service = await start({ service: "settled" });
    const ref = (await service.jobs.crunch.create({ n: 1 })).orThrow();
    assert.deepEqual((await ref.cancel()).orThrow(), { cancelled: true });
    assert.deepEqual((await ref.cancel()).orThrow(), { cancelled: false, state: "cancelled" });
    const [created] = await env.events(ref.id, "settled");
    await env.publish({
      ...created!.event,
      eventType: "progress",
      state: "active",
      progress: { step: "late" },
      payload: undefined,
    });
    const calls: string[] = [];
    (await service.jobs.crunch.handle(({ job }) => (calls.push(job.id), Result.ok({ doubled: 0 })))).orThrow();
    await env.until(
      () => env.workItems("settled"),
      (n) => n === 0,
    );
    assert.deepEqual(calls, []);
    assert.deepEqual(await env.types(ref.id, "settled"), ["created", "cancelled", "progress"]);
    const waited = await ref.wait({ timeoutMs: 2000 });
    assertInstanceOf(waited.isErr() && waited.error, JobNotCompletedError);
  });

  test("retryable errors NAK with backoffMs[min(d-1, n-1)]; started.tries is the delivery count and restarts at 1 after retried (inv. 5, 6)", async () => {
    const service = await start({ service: "retries" });
    const info = await env.jsm.consumers.info("JOBS_WORK", "retries-crunch").catch(() => undefined);
    assert.equal(info, undefined);
    const at: number[] = [];
    (
      await service.jobs.crunch.handle(({ payload, job }) => {
        at.push(Date.now());
        if (job.redeliveryCount() < 2) throw new JobRetryError(`attempt ${job.redeliveryCount() + 1}`);
        return Result.ok({ doubled: payload.n * 2 });
      })
    ).orThrow();
    const consumer = await env.jsm.consumers.info("JOBS_WORK", "retries-crunch");
    // §6: the consumer has no backoff of its own; ack_wait is the queue's ackWaitMs.
    assert.equal(consumer.config.backoff, undefined);
    assert.deepEqual(
      [
        consumer.config.ack_wait,
        consumer.config.max_deliver,
        consumer.config.filter_subject,
        consumer.config.max_ack_pending,
      ],
      [4000 * 1_000_000, 3, "trellis.work.retries.crunch", 1000],
    );
    const ref = (await service.jobs.crunch.create({ n: 5 })).orThrow();
    assert.deepEqual((await ref.wait({ timeoutMs: 10_000 })).orThrow(), { doubled: 10 });
    const events = (await env.events(ref.id, "retries")).map((e) => e.event);
    assert.deepEqual(
      events.map((e) => [e.eventType, e.tries]),
      [
        ["created", 0],
        ["started", 1],
        ["retry", 1],
        ["started", 2],
        ["retry", 2],
        ["started", 3],
        ["completed", 3],
      ],
    );
    assert.equal(events[2]!.error, "JobRetryError: attempt 1");
    assert.deepEqual(
      events.filter((e) => e.eventType === "started").map((e) => e.previousState),
      ["pending", "retry", "retry"],
    );
    // Delivery 1 waited backoffMs[0] = 150 ms, delivery 2 backoffMs[1] = 400 ms (at least).
    assert.ok(at[1]! - at[0]! >= 150, `first delay ${at[1]! - at[0]!}`);
    assert.ok(at[2]! - at[1]! >= 400, `second delay ${at[2]! - at[1]!}`);

    // An admin retry of a failed job (same id): a new work item, tries from 1 again.
    const note = await start({ service: "retries2" });
    (await note.jobs.note.handle(() => Result.err(new UnexpectedError({ context: { reason: "boom" } })))).orThrow();
    const failing = (await note.jobs.note.create({ text: "x" })).orThrow();
    const failed = await failing.wait({ timeoutMs: 10_000 });
    assert.equal(failed.isErr() && failed.error instanceof JobNotCompletedError && failed.error.state, "failed");
    const [created] = await env.events(failing.id, "retries2");
    await env.publish({ ...created!.event, eventType: "retried", state: "pending", previousState: "failed" });
    const again = await env.until(
      () => env.events(failing.id, "retries2"),
      (all) => all.filter((e) => e.event.eventType === "failed").length === 2,
    );
    assert.deepEqual(
      again.map((e) => [e.event.eventType, e.event.tries]),
      [
        ["created", 0],
        ["started", 1],
        ["failed", 1],
        ["retried", 0],
        ["started", 1],
        ["failed", 1],
      ],
    );
    assert.match(again[2]!.event.error!, /^UnexpectedError: /);
  });

  test("exhausting maxDeliver dead-letters through the max-deliveries advisory; with dlq false the last attempt fails (inv. 7)", async () => {
    const service = await start({ service: "exhaust" });
    (await service.jobs.crunch.handle(() => Result.err(new JobRetryError("never")))).orThrow();
    (await service.jobs.note.handle(() => Result.err(new JobRetryError("never")))).orThrow();
    const dead = (await service.jobs.crunch.create({ n: 1 })).orThrow();
    const failed = (await service.jobs.note.create({ text: "x" })).orThrow();
    const advisory = await env.until(
      () =>
        env.jsm.streams
          .getMessage("JOBS_ADVISORIES", {
            last_by_subj: "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.JOBS_WORK.exhaust-crunch",
          })
          .catch(() => null),
      (msg) => msg !== null,
    );
    const body = advisory!.json<{
      type: string;
      stream: string;
      consumer: string;
      deliveries: number;
      stream_seq: number;
    }>();
    assert.deepEqual(
      [body.type, body.stream, body.consumer, body.deliveries],
      ["io.nats.jetstream.advisory.v1.max_deliver", "JOBS_WORK", "exhaust-crunch", 3],
    );
    const item = await env.jsm.streams.getMessage("JOBS_WORK", { seq: body.stream_seq });
    assert.equal(item?.json<{ jobId: string }>().jobId, dead.id);
    assert.deepEqual(
      (await env.events(dead.id, "exhaust")).map((e) => [e.event.eventType, e.event.tries]),
      [
        ["created", 0],
        ["started", 1],
        ["retry", 1],
        ["started", 2],
        ["retry", 2],
        ["started", 3],
        ["retry", 3],
      ],
    );
    const outcome = await failed.wait({ timeoutMs: 10_000 });
    assert.equal(outcome.isErr() && outcome.error instanceof JobNotCompletedError && outcome.error.state, "failed");
    assert.deepEqual(
      (await env.events(failed.id, "exhaust")).map((e) => [e.event.eventType, e.event.tries]),
      [
        ["created", 0],
        ["started", 1],
        ["retry", 1],
        ["started", 2],
        ["failed", 2],
      ],
    );
  });

  test("cancelling an active job fires its signal (reason job); the worker acks without an outcome (inv. 8)", async () => {
    const service = await start({ service: "cancels" });
    const running = deferred<ActiveJob>();
    const after = deferred<string>();
    (
      await service.jobs.crunch.handle(async ({ job }) => {
        running.resolve(job as ActiveJob);
        const reason = await job.cancelled;
        const late = await job.progress({ step: "after" });
        after.resolve(`${reason}:${String(job.signal.reason)}:${late.isErr() ? late.error.type : "ok"}`);
        return Result.ok({ doubled: 1 });
      })
    ).orThrow();
    const ref = (await service.jobs.crunch.create({ n: 1 })).orThrow();
    await running.promise;
    assert.deepEqual((await ref.cancel()).orThrow(), { cancelled: true });
    assert.equal(await after.promise, "job:job:TransportError");
    await env.until(
      () => env.workItems("cancels"),
      (n) => n === 0,
    );
    assert.deepEqual(await env.types(ref.id, "cancels"), ["created", "started", "cancelled"]);
  });

  test("shutdown interrupts with reason shutdown, publishes nothing and leaves the message for the next worker (inv. 9)", async () => {
    const first = await start({ service: "shutdown" });
    const running = deferred<void>();
    let reason: unknown;
    (
      await first.jobs.crunch.handle(async ({ job }) => {
        running.resolve();
        reason = await job.cancelled;
        return Result.ok({ doubled: 0 });
      })
    ).orThrow();
    const ref = (await first.jobs.crunch.create({ n: 3 })).orThrow();
    await running.promise;
    await first.stop();
    assert.equal(reason, "shutdown");
    assert.deepEqual(await env.types(ref.id, "shutdown"), ["created", "started"]);
    const late = await first.jobs.crunch.handle(() => Result.ok({ doubled: 0 }));
    assertInstanceOf(late.isErr() && late.error, ValidationError);

    const second = await start({ service: "shutdown" });
    (await second.jobs.crunch.handle(({ payload }) => Result.ok({ doubled: payload.n * 2 }))).orThrow();
    const events = await env.until(
      () => env.events(ref.id, "shutdown"),
      (all) => all.some((e) => e.event.eventType === "completed"),
    );
    assert.deepEqual(events.at(-1)!.event.result, { doubled: 6 });
    const started = events.filter((e) => e.event.eventType === "started");
    assert.deepEqual(
      started.map((e) => [e.event.tries, e.event.previousState]),
      [
        [1, "pending"],
        [2, "active"],
      ],
    );
  });

  test("at most concurrency handlers per instance; a NAK-delayed job does not hold a slot (inv. 10)", async () => {
    const service = await start({ service: "slots" });
    let active = 0;
    let peak = 0;
    const gate = deferred<void>();
    (
      await service.jobs.crunch.handle(async ({ payload }) => {
        active++;
        peak = Math.max(peak, active);
        await gate.promise;
        await sleep(20);
        active--;
        return Result.ok({ doubled: payload.n });
      })
    ).orThrow();
    const refs = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => (await service.jobs.crunch.create({ n })).orThrow()),
    );
    await env.until(
      async () => peak,
      (p) => p >= 2,
    );
    await sleep(200);
    assert.equal(active, 2);
    gate.resolve();
    for (const ref of refs) (await ref.wait({ timeoutMs: 10_000 })).orThrow();
    assert.equal(peak, 2);

    // concurrency 1 and a retry delayed by a minute: the next job still runs at once.
    const slow = await start({
      service: "slow",
      bindings: {
        note: {
          ...env.bindings("slow").note,
          settings: { ...env.bindings("slow").note.settings, backoffMs: [60_000], concurrency: 1 },
        },
      },
    });
    (
      await slow.jobs.note.handle(({ payload }) =>
        payload.text === "retry" ? Result.err(new JobRetryError("later")) : Result.ok(undefined),
      )
    ).orThrow();
    const delayed = (await slow.jobs.note.create({ text: "retry" })).orThrow();
    await env.until(
      () => env.types(delayed.id, "slow"),
      (types) => types.includes("retry"),
    );
    const next = (await slow.jobs.note.create({ text: "now" })).orThrow();
    (await next.wait({ timeoutMs: 5000 })).orThrow();
    assert.deepEqual(await env.types(delayed.id, "slow"), ["created", "started", "retry"]);
  });

  test("handle: worker heartbeats at start; a duplicate handler and a consumer with another config are refused", async () => {
    const service = await start({ service: "beats" });
    (await service.jobs.crunch.handle(() => Result.ok({ doubled: 0 }))).orThrow();
    const heartbeat = await env.until(
      async () => {
        const info = await env.jsm.streams.info("JOBS", {
          subjects_filter: "trellis.jobs.workers.beats.crunch.*.heartbeat",
        });
        return Object.keys(info.state.subjects ?? {});
      },
      (subjects) => subjects.length === 1,
    );
    const msg = await env.jsm.streams.getMessage("JOBS", { last_by_subj: heartbeat[0]! });
    const beat = msg!.json<Record<string, unknown>>();
    assert.deepEqual([beat.service, beat.jobType, beat.concurrency], ["beats", "crunch", 2]);
    assert.match(String(beat.instanceId), /^[0-9A-Z]{26}$/);
    const twice = await service.jobs.crunch.handle(() => Result.ok({ doubled: 0 }));
    assertInstanceOf(twice.isErr() && twice.error, ValidationError);
    assert.equal(
      twice.isErr() && twice.error instanceof ValidationError && twice.error.issues[0]?.path,
      "/jobs/crunch",
    );

    await env.jsm.consumers.add("JOBS_WORK", {
      durable_name: "other-crunch",
      filter_subject: "trellis.work.other.crunch",
      ack_policy: "explicit" as never,
      ack_wait: 1_000_000_000,
    });
    const other = await start({ service: "other" });
    const refused = await other.jobs.crunch.handle(() => Result.ok({ doubled: 0 }));
    assertInstanceOf(refused.isErr() && refused.error, UnexpectedError);
    assert.match(JSON.stringify(refused.isErr() && refused.error.context), /ack_wait/);
  });
});
