import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  JobRetryError,
  Result,
  silentLogger,
  TrellisClient,
  TrellisService,
  type SessionKeys,
} from "../../src/runtime/index.ts";
import { connectWithCreds } from "../../src/server/index.ts";
import { jobsContract } from "../../src/contracts/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance } from "../server/admin-helpers.ts";
import { jobber, jobberApp } from "./fixtures/job-contracts.ts";
import { approvedSession, trellisUrlOf } from "./support/sessions.ts";

/**
 * Jobs through the full stack: `infra apply` made the streams, approval
 * bound the queue, and the service runs it with exactly the §14 grants the
 * callout gave it (every step below would be a permissions violation
 * otherwise). A job created in an RPC handler carries the request's id. The
 * control plane's jobs admin runtime sees the same jobs: one that exhausts
 * its deliveries is dead-lettered from the server's advisory, and replaying
 * it from the DLQ runs it again.
 */
let stack: LocalStack;
let keys: SessionKeys;
let jsm: JetStreamManager;
let platform: NatsConnection;
const services: TrellisService<typeof jobber>[] = [];

async function connectService() {
  const service = (
    await TrellisService.connect({
      trellisUrl: trellisUrlOf(stack),
      contract: jobber,
      name: "jobber",
      keys,
      logger: silentLogger,
      jobs: { pullExpiresMs: 1000, shutdownGraceMs: 2000 },
    })
  ).orThrow();
  services.push(service);
  return service;
}

before(async () => {
  stack = await startLocalStack();
  await approveService(stack, "jobber", jobber.CONTRACT);
  keys = await provisionInstance(stack, "jobber");
  platform = await connectWithCreds({ servers: [stack.natsUrl], credsPath: stack.config.nats.trellisCreds, name: "t" });
  jsm = await jetstreamManager(platform);
});

after(async () => {
  await Promise.allSettled(services.map((service) => service.stop()));
  await platform?.close();
  await stack?.stop();
});

const eventTypes = async (jobId: string) => {
  const info = await jsm.streams.info("JOBS", { subjects_filter: `trellis.jobs.jobber.tasks.${jobId}.*` });
  return Object.keys(info.state.subjects ?? {}).map((subject) => subject.split(".").at(-1));
};

describe("jobs on a full stack", () => {
  test("an approved service creates, runs, retries and cancels jobs with its own grants", async () => {
    const service = await connectService();
    (
      await service.jobs.tasks.handle(async ({ payload, job }) => {
        if (payload.mode === "retry" && !job.isRedelivery()) return Result.err(new JobRetryError("once more"));
        if (payload.mode === "block") {
          await job.cancelled;
          return Result.ok({ echo: "interrupted" });
        }
        (await job.progress({ step: "echo" })).orThrow();
        return Result.ok({ echo: payload.text });
      })
    ).orThrow();
    const plain = (await service.jobs.tasks.create({ text: "hello" })).orThrow();
    const retried = (await service.jobs.tasks.create({ text: "again", mode: "retry" })).orThrow();
    assert.deepEqual((await plain.wait({ timeoutMs: 10_000 })).orThrow(), { echo: "hello" });
    assert.deepEqual((await retried.wait({ timeoutMs: 10_000 })).orThrow(), { echo: "again" });
    assert.deepEqual(
      new Set(await eventTypes(retried.id)),
      new Set(["created", "started", "retry", "progress", "completed"]),
    );

    const blocked = (await service.jobs.tasks.create({ text: "x", mode: "block" })).orThrow();
    const deadline = Date.now() + 10_000;
    while ((await blocked.get()).orThrow()?.state !== "active" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual((await blocked.cancel()).orThrow(), { cancelled: true });
    const outcome = await blocked.wait({ timeoutMs: 10_000 });
    assert.ok(outcome.isErr());
    assert.deepEqual(new Set(await eventTypes(blocked.id)), new Set(["created", "started", "cancelled"]));

    const consumer = await jsm.consumers.info("JOBS_WORK", "jobber-tasks");
    assert.deepEqual(
      [consumer.config.filter_subject, consumer.config.ack_wait, consumer.config.max_deliver, consumer.config.backoff],
      ["trellis.work.jobber.tasks", 5000 * 1_000_000, 3, undefined],
    );
    const beats = await jsm.streams.info("JOBS", { subjects_filter: "trellis.jobs.workers.jobber.tasks.*.heartbeat" });
    assert.equal(Object.keys(beats.state.subjects ?? {}).length, 1);
    await service.stop();
  });

  test("a job created in an RPC handler takes the request's id; a restarted service binds the same consumer", async () => {
    const service = await connectService();
    (
      await service.handle.rpc.jobber.enqueue(async ({ input, context }) => {
        const ref = await service.jobs.tasks.create(input);
        return ref.isErr() ? Result.err(ref.error) : Result.ok({ jobId: ref.value.id, requestId: context.requestId });
      })
    ).orThrow();
    (await service.jobs.tasks.handle(({ payload }) => Result.ok({ echo: payload.text }))).orThrow();
    const client = (
      await TrellisClient.connect({
        trellisUrl: trellisUrlOf(stack),
        contract: jobberApp,
        logger: silentLogger,
        keys: await approvedSession(stack, jobberApp.CONTRACT, []),
      })
    ).orThrow();
    try {
      const enqueued = (await client.rpc.jobber.enqueue({ text: "from rpc" })).orThrow();
      const created = await jsm.streams.getMessage("JOBS", {
        last_by_subj: `trellis.jobs.jobber.tasks.${enqueued.jobId}.created`,
      });
      const event = created!.json<{ context: { requestId: string } }>();
      assert.equal(event.context.requestId, enqueued.requestId);
      assert.equal(created!.header.get("request-id"), enqueued.requestId);
      const deadline = Date.now() + 10_000;
      while (!(await eventTypes(enqueued.jobId)).includes("completed") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok((await eventTypes(enqueued.jobId)).includes("completed"));
    } finally {
      await client.stop();
      await service.stop();
    }
  });

  test("a job that exhausts its deliveries is dead in the admin runtime; replaying it from the DLQ runs it again", async () => {
    const service = await connectService();
    let healed = false;
    (
      await service.jobs.tasks.handle(({ payload }) =>
        payload.mode === "flaky" && !healed
          ? Result.err(new JobRetryError("still broken"))
          : Result.ok({ echo: payload.text }),
      )
    ).orThrow();
    const admin = jobsContract().API.owned.rpc;
    const doomed = (await service.jobs.tasks.create({ text: "doomed", mode: "flaky" })).orThrow();
    try {
      // maxDeliver 3: three retries, then the server's max-deliveries advisory, then the admin runtime's `dead`.
      const deadline = Date.now() + 15_000;
      let state: string | undefined;
      while (state !== "dead" && Date.now() < deadline) {
        const got = await stack.admin.client.call(admin["Jobs.Get"], { id: doomed.id });
        state = got.isOk() ? got.value.job.state : undefined;
        if (state !== "dead") await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(state, "dead");
      const dlq = (await stack.admin.client.call(admin["Jobs.ListDLQ"], { service: "jobber", limit: 10 })).orThrow();
      assert.ok(dlq.entries.some((job) => job.id === doomed.id && job.tries >= 3));
      assert.deepEqual(
        (await eventTypes(doomed.id)).filter((event) => event === "dead"),
        ["dead"],
      );

      healed = true;
      const replayed = (await stack.admin.client.call(admin["Jobs.ReplayDLQ"], { id: doomed.id })).orThrow();
      assert.equal(replayed.job.id, doomed.id);
      assert.deepEqual((await doomed.wait({ timeoutMs: 10_000 })).orThrow(), { echo: "doomed" });
    } finally {
      await service.stop();
    }
  });
});
