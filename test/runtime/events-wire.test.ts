import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { inboxPrefix } from "../../src/contracts/index.ts";
import { Result, UnexpectedError, ValidationError } from "../../src/runtime/index.ts";
import { consumerBinding, consumerConfig } from "../../src/runtime/events/consumer-config.ts";
import { ConsumerGroup } from "../../src/runtime/events/consumer-group.ts";
import { EventPublisher } from "../../src/runtime/events/event-publisher.ts";
import { InFlight } from "../../src/runtime/lifecycle/in-flight.ts";
import { listenEphemeral } from "../../src/runtime/events/ephemeral-listener.ts";
import { silentLogger } from "../../src/runtime/observability/logger.ts";
import { greeter } from "./fixtures/greeter.ts";
import { RuntimeEnv, type Principal } from "./support/runtime-env.ts";
import { assertInstanceOf } from "../support/assert.ts";

const greeted = greeter.API.owned.events["Greeter.Greeted"];
const audited = greeter.API.owned.events["Greeter.Audited"];

describe("events on the wire", () => {
  let env: RuntimeEnv;
  let service: Principal;
  let publisher: EventPublisher;

  before(async () => {
    env = await RuntimeEnv.start();
    service = await env.principal("greeter", ["service"]);
    publisher = new EventPublisher(service.nc);
  });
  after(async () => {
    await env?.stop();
  });

  test("publish templates the subject, sets the header and awaits the PubAck", async () => {
    const seen: string[] = [];
    const sub = service.nc.subscribe("events.v1.Greeter.Greeted.*", { callback: (_e, m) => void seen.push(m.subject) });
    const published = await publisher.publish(greeted, { name: "Ada Lovelace", header: { id: "mine", time: "x" } });
    assert.equal(published.isOk(), true);
    if (!published.isOk()) return;
    assert.equal(published.value.subject, "events.v1.Greeter.Greeted.Ada~20~Lovelace");
    assert.notEqual(published.value.id, "mine");
    assert.equal(published.value.stream, "trellis");
    await service.nc.flush();
    sub.unsubscribe();
    assert.deepStrictEqual(seen, ["events.v1.Greeter.Greeted.Ada~20~Lovelace"]);
  });

  test("an invalid payload or a missing parameter fails locally", async () => {
    const invalid = await publisher.publish(audited, { action: "x" } as never);
    assertInstanceOf(invalid.isErr() && invalid.error, ValidationError);
    const prepared = publisher.prepare(greeted, { name: "" });
    assert.equal(prepared.isOk() && prepared.value.subject, "events.v1.Greeter.Greeted._");
  });

  test("publishing where no stream listens is an UnexpectedError", async () => {
    const surface = { ...audited, subject: "nostream.v1.X" };
    const result = await publisher.publish(surface, { action: "a", n: 1 });
    assertInstanceOf(result.isErr() && result.error, UnexpectedError);
  });

  test("ephemeral listeners skip invalid payloads", async () => {
    const inFlight = new InFlight();
    const got: number[] = [];
    const sub = listenEphemeral(
      service.nc,
      audited,
      ({ event }) => {
        got.push(event.n);
        return Result.ok(undefined);
      },
      { inFlight, logger: silentLogger },
    );
    await service.nc.flush();
    service.nc.publish(audited.subject, JSON.stringify({ header: { id: "1", time: "t" }, action: "a" }));
    service.nc.publish(audited.subject, "not json");
    await publisher.publish(audited, { action: "a", n: 2 });
    await service.nc.flush();
    await inFlight.settled();
    sub.unsubscribe();
    assert.deepStrictEqual(got, [2]);
  });

  test("a durable group acks, naks with backoff and terminates unreadable events", async () => {
    const declaration = greeter.CONTRACT.eventConsumers!.audit!;
    const binding = consumerBinding(declaration, [greeted.subject, audited.subject]).orThrow();
    assert.deepStrictEqual(binding.filterSubjects, ["events.v1.Greeter.Audited", "events.v1.Greeter.Greeted.*"]);
    const jsm = await jetstreamManager(await env.connectRaw());
    await jsm.consumers.add("trellis", { ...consumerConfig(binding), deliver_policy: "new" });

    const group = new ConsumerGroup(service.nc, {
      group: "audit",
      binding,
      events: [greeted, audited],
      inboxPrefix: inboxPrefix(service.keys.sessionKey),
      logger: silentLogger,
    });
    const deliveries: { n: number; delivery: number; at: number }[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    assert.equal(
      group
        .listen(audited, ({ event, context }) => {
          deliveries.push({ n: event.n, delivery: context.delivery!, at: Date.now() });
          if (event.n === 2 && context.delivery === 1) return Result.err(new UnexpectedError());
          if (event.n === 3) done();
          return Result.ok(undefined);
        })
        .isOk(),
      true,
    );
    assert.equal(group.started, false);
    group.listen(greeted, () => Result.ok(undefined)).orThrow();
    assert.equal(group.started, true);

    service.nc.publish(audited.subject, "{broken", {});
    await publisher.publish(audited, { action: "a", n: 1 });
    await publisher.publish(audited, { action: "a", n: 2 });
    await publisher.publish(audited, { action: "a", n: 3 });
    await finished;
    await group.stop();
    const [one, twoFirst, twoAgain, three] = deliveries;
    assert.deepStrictEqual(
      deliveries.map((d) => [d.n, d.delivery]),
      [
        [1, 1],
        [2, 1],
        [2, 2],
        [3, 1],
      ],
    );
    assert.ok(twoAgain!.at - twoFirst!.at >= 200);
    assert.notEqual(one && three, undefined);
    const info = await jsm.consumers.info("trellis", binding.consumerName);
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_pending, 0);
  });
});
