import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  AuthError,
  Result,
  silentLogger,
  TrellisClient,
  TrellisService,
  type SessionKeys,
} from "../../src/runtime/index.ts";
import { connectWithCreds } from "../../src/server/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance } from "../server/admin-helpers.ts";
import { courier, courierApp } from "./fixtures/operation-contracts.ts";
import { approvedSession, trellisUrlOf } from "./support/sessions.ts";

/**
 * Operations through the full stack: approval materialized the service's
 * operation-state bucket, bootstrap bound it, and the service serves start
 * and control with exactly the grants the callout gave it (a missing one
 * would be a permissions violation below); user sessions start, watch,
 * signal and wait, and another user is refused.
 */
let stack: LocalStack;
let keys: SessionKeys;
let platform: NatsConnection;
const services: TrellisService<typeof courier>[] = [];
const clients: TrellisClient<typeof courierApp>[] = [];
const caps = [...(courier.API.owned.operations["Courier.Deliver"].capabilities.call ?? [])];

async function connectService() {
  const service = (
    await TrellisService.connect({
      trellisUrl: trellisUrlOf(stack),
      contract: courier,
      name: "courier",
      keys,
      logger: silentLogger,
    })
  ).orThrow();
  services.push(service);
  (
    await service.handle.operation.courier.deliver(async ({ input, op }) => {
      (await op.progress({ percent: 50 })).orThrow();
      const hurry = (await op.nextSignal("hurry")).orThrow();
      return Result.ok({ by: `${input.id}:${hurry.input.reason}` });
    })
  ).orThrow();
  return service;
}

async function connectClient() {
  const client = (
    await TrellisClient.connect({
      trellisUrl: trellisUrlOf(stack),
      contract: courierApp,
      logger: silentLogger,
      keys: await approvedSession(stack, courierApp.CONTRACT, caps),
    })
  ).orThrow();
  clients.push(client);
  return client;
}

before(async () => {
  stack = await startLocalStack();
  await approveService(stack, "courier", courier.CONTRACT);
  keys = await provisionInstance(stack, "courier");
  platform = await connectWithCreds({ servers: [stack.natsUrl], credsPath: stack.config.nats.trellisCreds, name: "t" });
});

after(async () => {
  await Promise.allSettled([...clients.map((c) => c.stop()), ...services.map((s) => s.stop())]);
  await platform?.close();
  await stack?.stop();
});

describe("operations on a full stack", () => {
  test("approval creates trellis_operations_<deployment> (history 1, file, no TTL, direct gets)", async () => {
    const info = await (await jetstreamManager(platform)).streams.info("KV_trellis_operations_courier");
    assert.deepEqual(
      [info.config.max_msgs_per_subject, info.config.max_age, info.config.allow_direct, info.config.storage],
      [1, 0, true, "file"],
    );
  });

  test("a user starts, watches, signals and waits; another user is forbidden; a restarted service still answers", async () => {
    const service = await connectService();
    const alice = await connectClient();
    const ref = (await alice.operation.courier.deliver.start({ id: "p1" })).orThrow();
    const events: string[] = [];
    const watching = (async () => {
      for await (const event of (await ref.watch()).orThrow()) events.push(event.type);
    })();
    const deadline = Date.now() + 10_000;
    while ((await ref.get()).orThrow().state !== "running" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const bob = await connectClient();
    const theirs = await bob.operation.courier.deliver.resume(ref.id).get();
    assert.ok(theirs.isErr());
    assert.ok(theirs.error instanceof AuthError && theirs.error.reason === "forbidden");

    (await ref.signal("hurry", { reason: "vip" })).orThrow();
    const done = (await ref.wait({ includeProgress: true })).orThrow();
    assert.deepEqual([done.state, done.output], ["completed", { by: "p1:vip" }]);
    await watching;
    assert.equal(events.at(-1), "completed");

    // A deferred-free restart: a new instance serves control requests for the old operation.
    await service.stop();
    await connectService();
    assert.equal((await ref.get()).orThrow().revision, done.revision);
    const cancel = await ref.cancel();
    assert.ok(cancel.isErr() && cancel.error.type === "OperationAlreadyTerminalError");
  });
});
