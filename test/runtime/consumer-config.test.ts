import { describe, expect, test } from "bun:test";
import {
  consumerBinding,
  consumerConfig,
  isConsumerName,
  newConsumerName,
  pullSubjects,
} from "../../src/runtime/index.ts";
import { ackMetadata } from "../../src/runtime/events/pull-consumer.ts";

describe("consumer provisioning (runtime-wire.md §3)", () => {
  test("names are tr_cons_<lowercase ULID>", () => {
    const name = newConsumerName();
    expect(name).toMatch(/^tr_cons_[0-9a-z]{26}$/);
    expect(isConsumerName(name)).toBe(true);
    expect(isConsumerName("orders-audit")).toBe(false);
  });

  test("a binding applies the defaults and wildcards, sorts and de-duplicates the filters", () => {
    const binding = consumerBinding({ self: ["A", "B"] }, ["events.v1.B.{/id}", "events.v1.A", "events.v1.B.{/other}"]);
    expect(binding.orThrow()).toMatchObject({
      stream: "trellis",
      filterSubjects: ["events.v1.A", "events.v1.B.*"],
      replay: "new",
      ordering: "strict",
      concurrency: 1,
      ackWaitMs: 300000,
      maxDeliver: 6,
      backoffMs: [5000, 30000, 120000, 600000, 1800000],
    });
    expect(consumerBinding({}, ["events.v1.A"], "chosen").isErr()).toBe(true);
  });

  test("the consumer config has explicit acks, the replay policy, and no backoff", () => {
    const binding = consumerBinding({ replay: "all", ackWaitMs: 1000, maxDeliver: 3, backoffMs: [10] }, [
      "events.v1.A",
    ]).orThrow();
    const config = consumerConfig(binding);
    expect(config).toEqual({
      name: binding.consumerName,
      durable_name: binding.consumerName,
      ack_policy: "explicit",
      deliver_policy: "all",
      filter_subjects: ["events.v1.A"],
      ack_wait: 1_000_000_000,
      max_deliver: 3,
      max_ack_pending: 1,
    });
    expect("backoff" in config).toBe(false);
    expect(pullSubjects("trellis", binding.consumerName)).toEqual({
      next: `$JS.API.CONSUMER.MSG.NEXT.trellis.${binding.consumerName}`,
      ack: `$JS.ACK.trellis.${binding.consumerName}.>`,
    });
  });

  test("delivery counts are read from both $JS.ACK reply forms", () => {
    expect(ackMetadata("$JS.ACK.trellis.c1.3.17.9.1796398606017860124.0")).toEqual({
      delivered: 3,
      streamSequence: 17,
    });
    expect(ackMetadata("$JS.ACK.hub.ACCHASH.trellis.c1.2.41.9.1796398606017860124.0.tok")).toEqual({
      delivered: 2,
      streamSequence: 41,
    });
  });
});
