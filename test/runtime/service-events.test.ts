import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { createLogger, Result, UnexpectedError, ValidationError } from "../../src/runtime/index.ts";
import {
  consumerBinding,
  consumerConfig,
  type EventConsumerBinding,
} from "../../src/runtime/events/consumer-config.ts";
import { TrellisService } from "../../src/runtime/service/trellis-service.ts";
import { greeter } from "./fixtures/greeter.ts";
import { Deliveries } from "./support/deliveries.ts";
import { RuntimeEnv } from "./support/runtime-env.ts";
import { assertIncludes, assertInstanceOf, assertMatch } from "../support/assert.ts";

const quiet = createLogger({ level: "silent" });

describe("events through TrellisService", () => {
  let env: RuntimeEnv;
  let jsm: JetStreamManager;
  let bindings: Record<string, EventConsumerBinding>;

  /** What the control plane does at approval: one durable consumer per group. */
  async function provision(group: "audit" | "metrics"): Promise<EventConsumerBinding> {
    const declaration = greeter.CONTRACT.eventConsumers![group]!;
    const subjects = (declaration.self ?? []).map(
      (name) => greeter.API.owned.events[name as "Greeter.Greeted"].subject,
    );
    const binding = consumerBinding(declaration, subjects).orThrow();
    await jsm.consumers.add(binding.stream, consumerConfig(binding));
    return binding;
  }

  async function startService(groups: Record<string, EventConsumerBinding> = bindings) {
    const principal = await env.principal("greeter", ["service"]);
    return (
      await TrellisService.fromConnection({
        nc: principal.nc,
        contract: greeter,
        name: "greeter",
        keys: principal.keys,
        authenticator: env.authenticator,
        logger: quiet,
        bindings: { eventConsumers: groups },
        health: { heartbeat: false },
      })
    ).orThrow();
  }

  before(async () => {
    env = await RuntimeEnv.start();
    jsm = await jetstreamManager(await env.connectRaw());
    bindings = { audit: await provision("audit"), metrics: await provision("metrics") };
  });
  after(async () => {
    await env?.stop();
  });

  test("listen refuses a durable name, an undeclared group and a group without binding", async () => {
    const service = await startService();
    try {
      const durable = await service.event.greeter.audited.listen(() => Result.ok(undefined), {
        group: "audit",
        durableName: "mine",
      } as never);
      assertInstanceOf(durable.isErr() && durable.error, ValidationError);
      const unknown = await service.event.greeter.audited.listen(() => Result.ok(undefined), { group: "nope" });
      assertIncludes(unknown.isErr() && unknown.error.message, "not a consumer group");
      const outside = await service.event.greeter.audited.listen(() => Result.ok(undefined), { group: "metrics" });
      assertIncludes(outside.isErr() && outside.error.message, "does not select");
    } finally {
      await service.stop();
    }
    const unbound = await startService({});
    const missing = await unbound.event.greeter.audited.listen(() => Result.ok(undefined), { group: "audit" });
    assertIncludes(missing.isErr() && missing.error.message, "has no binding");
    const chosen = await startService({ audit: { ...bindings.audit!, consumerName: "my-durable" } });
    const refused = await chosen.event.greeter.audited.listen(() => Result.ok(undefined), { group: "audit" });
    assertIncludes(refused.isErr() && refused.error.message, "Trellis-provisioned");
    await Promise.all([unbound.stop(), chosen.stop()]);
  });

  test("a group stopped and restarted receives everything published meanwhile, exactly once", async () => {
    const first = await startService();
    const seen = new Deliveries<number>();
    const listen = (service: TrellisService<typeof greeter>) =>
      Promise.all([
        service.event.greeter.audited.listen(
          ({ event }) => {
            seen.push(event.n);
            return Result.ok(undefined);
          },
          { group: "audit" },
        ),
        service.event.greeter.greeted.listen(() => Result.ok(undefined), { group: "audit" }),
      ]);
    const [audit] = await Promise.all([
      first.event.greeter.audited.listen(() => Result.ok(undefined), { group: "audit" }),
    ]);
    assert.equal(audit.isOk(), true);
    // One of the group's two events has a listener: nothing is pulled yet.
    assert.deepStrictEqual(first.pendingGroups(), { audit: ["Greeter.Greeted"] });
    await first.stop();

    const running = await startService();
    await listen(running);
    assert.deepStrictEqual(running.pendingGroups(), {});
    for (const n of [1, 2, 3]) (await running.event.greeter.audited.publish({ action: "before", n })).orThrow();
    await seen.until(3);
    await running.stop();

    const publisher = await startService();
    for (const n of [4, 5, 6, 7, 8])
      (await publisher.event.greeter.audited.publish({ action: "meanwhile", n })).orThrow();
    await publisher.stop();

    const restarted = await startService();
    await listen(restarted);
    await seen.until(8);
    await restarted.stop();
    assert.deepStrictEqual(
      [...seen.values].sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    const info = await jsm.consumers.info("trellis", bindings.audit!.consumerName);
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_pending, 0);
    assert.equal(info.num_redelivered, 0);
  });

  test("a duplicate Nats-Msg-Id is delivered once; two groups each get every event", async () => {
    const service = await startService();
    const audit = new Deliveries<string>();
    const metrics = new Deliveries<string>();
    await service.event.greeter.audited.listen(() => Result.ok(undefined), { group: "audit" });
    (
      await service.event.greeter.greeted.listen(
        ({ event }) => {
          audit.push(event.name);
          return Result.ok(undefined);
        },
        { group: "audit" },
      )
    ).orThrow();
    (
      await service.event.greeter.greeted.listen(
        ({ event, context }) => {
          assertMatch(context, { mode: "durable", group: "metrics", id: event.header.id });
          metrics.push(event.name);
          return Result.ok(undefined);
        },
        { group: "metrics" },
      )
    ).orThrow();

    const prepared = service.event.greeter.greeted.prepare({ name: "once" }).orThrow();
    assert.deepStrictEqual(Object.keys(prepared.headers), ["Nats-Msg-Id"]);
    assert.ok(!JSON.stringify(prepared).includes(greeter.CONTRACT_DIGEST));
    const firstSend = (await service.publishPrepared(prepared)).orThrow();
    const secondSend = (await service.publishPrepared(prepared)).orThrow();
    assert.deepStrictEqual([firstSend.duplicate, secondSend.duplicate], [false, true]);
    (await service.event.greeter.greeted.publish({ name: "twice" })).orThrow();
    await audit.until(2);
    await metrics.until(2);
    await service.stop();
    assert.deepStrictEqual(audit.values, ["once", "twice"]);
    assert.deepStrictEqual(metrics.values, ["once", "twice"]);
  });

  test("an ephemeral listener sees events as they are published", async () => {
    const service = await startService();
    const seen = new Deliveries<string>();
    (
      await service.event.greeter.greeted.listen(({ event, context }) => {
        assert.equal(context.mode, "ephemeral");
        seen.push(event.name);
        return event.name === "bad" ? Result.err(new UnexpectedError()) : Result.ok(undefined);
      })
    ).orThrow();
    (await service.event.greeter.greeted.publish({ name: "bad" })).orThrow();
    (await service.event.greeter.greeted.publish({ name: "good" })).orThrow();
    assert.deepStrictEqual(await seen.until(2), ["bad", "good"]);
    await service.stop();
  });
});
