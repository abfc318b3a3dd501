import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  consumerBinding,
  consumerConfig,
  isConsumerName,
  newConsumerName,
  pullSubjects,
} from "../../src/runtime/index.ts";
import { ackMetadata } from "../../src/runtime/events/pull-consumer.ts";
import { assertMatch } from "../support/assert.ts";

describe("consumer provisioning (runtime-wire.md §3)", () => {
  test("names are tr_cons_<lowercase ULID>", () => {
    const name = newConsumerName();
    assert.match(name, /^tr_cons_[0-9a-z]{26}$/);
    assert.equal(isConsumerName(name), true);
    assert.equal(isConsumerName("orders-audit"), false);
  });

  test("a binding applies the defaults and wildcards, sorts and de-duplicates the filters", () => {
    const binding = consumerBinding({ self: ["A", "B"] }, ["events.v1.B.{/id}", "events.v1.A", "events.v1.B.{/other}"]);
    assertMatch(binding.orThrow(), {
      stream: "trellis",
      filterSubjects: ["events.v1.A", "events.v1.B.*"],
      replay: "new",
      ordering: "strict",
      concurrency: 1,
      ackWaitMs: 300000,
      maxDeliver: 6,
      backoffMs: [5000, 30000, 120000, 600000, 1800000],
    });
    assert.equal(consumerBinding({}, ["events.v1.A"], "chosen").isErr(), true);
  });

  test("the consumer config has explicit acks, the replay policy, and no backoff", () => {
    const binding = consumerBinding({ replay: "all", ackWaitMs: 1000, maxDeliver: 3, backoffMs: [10] }, [
      "events.v1.A",
    ]).orThrow();
    const config = consumerConfig(binding);
    assert.deepStrictEqual(config, {
      name: binding.consumerName,
      durable_name: binding.consumerName,
      ack_policy: "explicit",
      deliver_policy: "all",
      filter_subjects: ["events.v1.A"],
      ack_wait: 1_000_000_000,
      max_deliver: 3,
      max_ack_pending: 1,
    });
    assert.equal("backoff" in config, false);
    assert.deepStrictEqual(pullSubjects("trellis", binding.consumerName), {
      next: `$JS.API.CONSUMER.MSG.NEXT.trellis.${binding.consumerName}`,
      ack: `$JS.ACK.trellis.${binding.consumerName}.>`,
    });
  });

  test("delivery counts are read from both $JS.ACK reply forms", () => {
    assert.deepStrictEqual(ackMetadata("$JS.ACK.trellis.c1.3.17.9.1796398606017860124.0"), {
      delivered: 3,
      streamSequence: 17,
    });
    assert.deepStrictEqual(ackMetadata("$JS.ACK.hub.ACCHASH.trellis.c1.2.41.9.1796398606017860124.0.tok"), {
      delivered: 2,
      streamSequence: 41,
    });
  });
});
