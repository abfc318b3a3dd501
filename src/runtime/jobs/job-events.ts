import type { NatsConnection } from "@nats-io/nats-core";
import {
  err,
  JOB_TRANSITIONS,
  jobEventSubject,
  ok,
  UnexpectedError,
  type JobContext,
  type JobEvent,
  type JobEventType,
  type JobState,
  type Result,
} from "../../contracts/index.ts";
import { publishToStream, type PubAck } from "../events/jetstream-publish.ts";
import { buildHeaders, HEADER } from "../wire/headers.ts";
import { encodeJson } from "../wire/json-body.ts";
import { newRequestId } from "../wire/request-id.ts";

/** What every event of one job shares. */
export type JobIdentity = {
  readonly jobId: string;
  readonly service: string;
  readonly jobType: string;
  readonly context: JobContext;
  readonly maxTries: number;
};

/** Everything an event may carry beyond the identity, its type and state. */
export type JobEventFields = Partial<
  Pick<JobEvent, "previousState" | "error" | "progress" | "logs" | "payload" | "result" | "deadline">
> & { tries: number };

/** A lifecycle event; `state` is the §3 table's "To" state for its type. */
export function jobEvent(identity: JobIdentity, eventType: JobEventType, fields: JobEventFields): JobEvent {
  const event: JobEvent = {
    jobId: identity.jobId,
    service: identity.service,
    jobType: identity.jobType,
    eventType,
    state: JOB_TRANSITIONS[eventType].to,
    context: identity.context,
    maxTries: identity.maxTries,
    timestamp: new Date().toISOString(),
    ...fields,
  };
  return event;
}

/** `"<ErrorType>: <message>"` (§8). */
export function errorText(error: { type?: string; name?: string; message: string }): string {
  return `${error.type ?? error.name ?? "Error"}: ${error.message}`;
}

/**
 * Publishes lifecycle events (§5 "Publishing"): a JetStream publish whose
 * PubAck is awaited, with a `Nats-Msg-Id` per event and the job's
 * `request-id`, `traceparent` and `tracestate` as headers.
 */
export class JobEventPublisher {
  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs: number,
  ) {}

  /**
   * `msgId` is the `Nats-Msg-Id`: by default `created` has one per job (a
   * publish repeated after a lost PubAck is dropped by the stream) and every
   * other event a fresh one; a caller that may repeat the same decision (the
   * admin runtime's janitor and advisories) passes a deterministic one.
   */
  async publish(event: JobEvent, msgId?: string): Promise<Result<PubAck, UnexpectedError>> {
    const body = encodeJson(event);
    if (body.isErr()) return err(UnexpectedError.from(body.error, { context: { reason: "event is not JSON" } }));
    msgId ??= event.eventType === "created" ? `${event.jobId}.created` : `${event.jobId}.${newRequestId()}`;
    const headers = buildHeaders({
      [HEADER.msgId]: msgId,
      [HEADER.requestId]: event.context.requestId,
      [HEADER.traceparent]: event.context.traceparent,
      [HEADER.tracestate]: event.context.tracestate,
    });
    const subject = jobEventSubject(event.service, event.jobType, event.jobId, event.eventType);
    const acked = await publishToStream(this.nc, subject, body.value, headers, this.timeoutMs);
    return acked.isErr()
      ? err(acked.error.withContext({ jobId: event.jobId, eventType: event.eventType }))
      : ok(acked.value);
  }
}
