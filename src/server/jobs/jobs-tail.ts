import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  err,
  JOBS_STREAM,
  ok,
  UnexpectedError,
  type JobEvent,
  type JobEventType,
  type Result,
  type WorkerHeartbeat,
} from "../../contracts/index.ts";
import type { Logger } from "../../runtime/index.ts";
import { decodeHeartbeat, decodeJobEvent } from "./job-decoding.ts";

export type TailInput = { service?: string; type?: string; id?: string; events?: JobEventType[]; workers?: boolean };
export type TailFrame = JobEvent | WorkerHeartbeat;

/**
 * The `JOBS` subjects a tail follows (jobs.md §12): lifecycle subjects
 * narrowed by service, type, id and event names; with `workers`, the
 * heartbeats of the same service and type too. An empty `events` list
 * follows no lifecycle subject.
 */
export function tailFilters(input: TailInput): string[] {
  const service = input.service ?? "*";
  const type = input.type ?? "*";
  const events = input.events === undefined ? ["*"] : [...new Set(input.events)];
  const filters = events.map((event) => `trellis.jobs.${service}.${type}.${input.id ?? "*"}.${event}`);
  if (input.workers === true) filters.push(`trellis.jobs.workers.${service}.${type}.*.heartbeat`);
  return filters;
}

/**
 * Serves one `Jobs.Tail` feed from an ordered consumer on `JOBS`, delivering
 * what is stored once the feed is open (deliver policy `new`), until the
 * feed's signal aborts (the subscriber left, or the control plane stops).
 * Messages that do not decode are skipped, as the projector skips them.
 */
export async function serveTail(
  nc: NatsConnection,
  input: TailInput,
  emit: (frame: TailFrame) => PromiseLike<Result<void, unknown>>,
  signal: AbortSignal,
  logger: Logger,
): Promise<Result<void, UnexpectedError>> {
  const filters = tailFilters(input);
  if (filters.length === 0) {
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    return ok(undefined);
  }
  let messages;
  try {
    // No stream info first: the consumer is created as soon as possible after the ready frame,
    // which is when "new" starts (a message stored in between is not part of the tail).
    const consumer = await jetstream(nc).consumers.get(JOBS_STREAM, {
      filter_subjects: filters,
      deliver_policy: DeliverPolicy.New,
    });
    messages = await consumer.consume();
  } catch (cause) {
    return err(UnexpectedError.from(cause, { context: { reason: "cannot follow JOBS" } }));
  }
  const stop = () => void messages.close().catch(() => undefined);
  if (signal.aborted) stop();
  signal.addEventListener("abort", stop, { once: true });
  try {
    for await (const msg of messages) {
      const frame = msg.subject.startsWith("trellis.jobs.workers.")
        ? decodeHeartbeat(msg.subject, msg.data)
        : decodeJobEvent(msg.subject, msg.data);
      if (frame.isErr()) {
        logger.debug({ subject: msg.subject, reason: frame.error }, "tail skipped an undecodable message");
        continue;
      }
      const sent = await emit(frame.value);
      if (sent.isErr()) break;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
  return ok(undefined);
}
