import type { ConsumerConfig } from "@nats-io/jetstream";
import { ulid } from "ulid";
import { err, ok, ValidationError, wildcardSubject, type EventConsumer, type Result } from "../../contracts/index.ts";

/** The one event stream (runtime-wire.md §3), created at platform bootstrap, never by services. */
export const EVENT_STREAM = "trellis";
export const EVENT_STREAM_SUBJECTS = ["events.>"] as const;

/** §3 defaults for a consumer group declaration. */
export const CONSUMER_DEFAULTS = {
  replay: "new",
  ordering: "strict",
  concurrency: 1,
  ackWaitMs: 300_000,
  maxDeliver: 6,
  backoffMs: [5000, 30000, 120000, 600000, 1800000],
} as const;

/** What the control plane hands a service for one consumer group (§3). */
export type EventConsumerBinding = {
  stream: string;
  consumerName: string;
  filterSubjects: string[];
  replay: "new" | "all";
  ordering: "strict";
  concurrency: number;
  ackWaitMs: number;
  maxDeliver: number;
  backoffMs: number[];
};

const CONSUMER_NAME = /^tr_cons_[0-9a-hjkmnp-tv-z]{26}$/;

/** `tr_cons_<lowercase ULID>`: opaque, minted once per group lineage and kept across redeploys. */
export function newConsumerName(): string {
  return `tr_cons_${ulid().toLowerCase()}`;
}

export function isConsumerName(name: string): boolean {
  return CONSUMER_NAME.test(name);
}

/**
 * A group's binding from its declaration and the subjects of the events it
 * selects (the control plane resolves `uses` aliases to their targets'
 * subjects): `{…}` → `*`, sorted and de-duplicated, defaults applied.
 */
export function consumerBinding(
  declaration: EventConsumer,
  eventSubjects: readonly string[],
  consumerName: string = newConsumerName(),
): Result<EventConsumerBinding, ValidationError> {
  if (!isConsumerName(consumerName)) {
    return err(new ValidationError([{ path: "/consumerName", message: "must be tr_cons_<lowercase ULID>" }]));
  }
  if (eventSubjects.length === 0) {
    return err(new ValidationError([{ path: "/filterSubjects", message: "a group selects at least one event" }]));
  }
  return ok({
    stream: EVENT_STREAM,
    consumerName,
    filterSubjects: [...new Set(eventSubjects.map(wildcardSubject))].sort(),
    replay: declaration.replay ?? CONSUMER_DEFAULTS.replay,
    ordering: declaration.ordering ?? CONSUMER_DEFAULTS.ordering,
    concurrency: declaration.concurrency ?? CONSUMER_DEFAULTS.concurrency,
    ackWaitMs: declaration.ackWaitMs ?? CONSUMER_DEFAULTS.ackWaitMs,
    maxDeliver: declaration.maxDeliver ?? CONSUMER_DEFAULTS.maxDeliver,
    backoffMs: [...(declaration.backoffMs ?? CONSUMER_DEFAULTS.backoffMs)],
  });
}

const nanos = (ms: number): number => ms * 1_000_000;

/**
 * The durable consumer for a binding, as `$JS.API.CONSUMER.CREATE` takes it.
 * Deliberately **no** `backoff`: nats-server 2.10 would use `backoff[0]` as
 * the ack wait, redelivering a handler slower than the first step while it
 * still runs; the runtime delays its NAKs instead.
 */
export function consumerConfig(binding: EventConsumerBinding): Partial<ConsumerConfig> {
  return {
    name: binding.consumerName,
    durable_name: binding.consumerName,
    ack_policy: "explicit",
    deliver_policy: binding.replay === "all" ? "all" : "new",
    filter_subjects: [...binding.filterSubjects],
    ack_wait: nanos(binding.ackWaitMs),
    max_deliver: binding.maxDeliver,
    max_ack_pending: binding.concurrency,
  };
}
