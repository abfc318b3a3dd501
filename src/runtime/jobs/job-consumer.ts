import type { NatsConnection } from "@nats-io/nats-core";
import { err, ok, UnexpectedError, type Result } from "../../contracts/index.ts";
import { decodeJson } from "../wire/json-body.ts";
import type { JobQueueBinding } from "./job-binding.ts";

/** jobs.md §6: the queue's consumer on JOBS_WORK. */
export type JobConsumerConfig = {
  durable_name: string;
  filter_subject: string;
  deliver_policy: "all";
  ack_policy: "explicit";
  replay_policy: "instant";
  ack_wait: number;
  max_deliver: number;
  max_ack_pending: number;
};

/**
 * Deliberately no `backoff`: 2.10 would replace `ack_wait` with `backoff[0]`
 * (and some releases reject `len(backoff) >= max_deliver`); workers delay
 * their NAKs instead. `max_ack_pending` is not the concurrency limit (a
 * NAK-delayed message stays pending): workers enforce `concurrency`.
 */
export function jobConsumerConfig(binding: JobQueueBinding): JobConsumerConfig {
  return {
    durable_name: binding.consumerName,
    filter_subject: binding.workSubject,
    deliver_policy: "all",
    ack_policy: "explicit",
    replay_policy: "instant",
    ack_wait: binding.settings.ackWaitMs * 1_000_000,
    max_deliver: binding.settings.maxDeliver,
    max_ack_pending: 1000,
  };
}

/** The two consumer API subjects a worker may use (§8 step 2, §14), and its pull and ack subjects. */
export function jobConsumerSubjects(binding: JobQueueBinding) {
  const { workStream: stream, consumerName: consumer } = binding;
  return {
    create: `$JS.API.CONSUMER.CREATE.${stream}.${consumer}.${binding.workSubject}`,
    info: `$JS.API.CONSUMER.INFO.${stream}.${consumer}`,
    next: `$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`,
    ack: `$JS.ACK.${stream}.${consumer}.>`,
  };
}

type ApiReply = {
  error?: { code?: number; err_code?: number; description?: string };
  config?: Record<string, unknown>;
};

async function api(
  nc: NatsConnection,
  subject: string,
  body: string,
  timeoutMs: number,
): Promise<Result<ApiReply, UnexpectedError>> {
  try {
    const reply = await nc.request(subject, body, { timeout: timeoutMs });
    const decoded = decodeJson(reply.data);
    if (decoded.isErr()) return err(decoded.error);
    return ok((decoded.value ?? {}) as ApiReply);
  } catch (cause) {
    return err(UnexpectedError.from(cause, { context: { reason: "JetStream API request failed", subject } }));
  }
}

/** The fields §8 step 2 requires an existing consumer to share. */
const MUST_MATCH = ["filter_subject", "ack_policy", "ack_wait", "max_deliver"] as const;

/**
 * §8 step 2: the filtered create API (`action: "create"`, idempotent for
 * the same config). If a consumer of that name exists with another config,
 * its info must agree on the fields that decide delivery; anything else
 * fails startup. No stream info, no legacy durable create.
 */
export async function ensureJobConsumer(
  nc: NatsConnection,
  binding: JobQueueBinding,
  timeoutMs: number,
): Promise<Result<void, UnexpectedError>> {
  const config = jobConsumerConfig(binding);
  const subjects = jobConsumerSubjects(binding);
  const created = await api(
    nc,
    subjects.create,
    JSON.stringify({ stream_name: binding.workStream, config, action: "create" }),
    timeoutMs,
  );
  if (created.isErr()) return err(created.error);
  if (created.value.error === undefined) return ok(undefined);
  const info = await api(nc, subjects.info, "", timeoutMs);
  if (info.isErr()) return err(info.error);
  const existing = info.value.config;
  if (info.value.error !== undefined || existing === undefined) {
    return err(
      new UnexpectedError({
        context: {
          reason: "the job consumer could not be created",
          consumer: binding.consumerName,
          jetstream: created.value.error,
        },
      }),
    );
  }
  const mismatched = MUST_MATCH.filter((field) => existing[field] !== config[field]);
  if (mismatched.length > 0) {
    return err(
      new UnexpectedError({
        context: {
          reason: "an existing job consumer has another configuration",
          consumer: binding.consumerName,
          fields: mismatched.map((field) => ({ field, expected: config[field], actual: existing[field] })),
        },
      }),
    );
  }
  return ok(undefined);
}
