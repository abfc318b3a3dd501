import type { JetStreamClient } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/nats-core";
import { ulid } from "ulid";
import {
  err,
  jobEventSubject,
  JOB_TRANSITIONS,
  ok,
  UnexpectedError,
  type Job,
  type JobEvent,
  type JobEventType,
  type Result,
} from "../../contracts/index.ts";

/** What an admin-made event needs of the job: its identity, state and context. */
export type JobIdentity = Pick<Job, "id" | "service" | "type" | "state" | "context">;

/** The fields an admin-made event takes besides what the row gives. */
export type AdminEventFields = Partial<Pick<JobEvent, "error" | "payload" | "maxTries" | "deadline">> & {
  tries: number;
};

/**
 * An event the admin runtime publishes about a projected job (`cancelled`,
 * `retried`, `dismissed`, `expired`, `dead`): the row's context (so every
 * event of a job carries the same one, jobs.md §16 invariant 2) and state as
 * `previousState`.
 */
export function adminEvent(job: JobIdentity, eventType: JobEventType, fields: AdminEventFields, now: Date): JobEvent {
  const event: JobEvent = {
    jobId: job.id,
    service: job.service,
    jobType: job.type,
    eventType,
    state: JOB_TRANSITIONS[eventType].to,
    previousState: job.state,
    context: job.context,
    timestamp: now.toISOString(),
    ...fields,
  };
  return event;
}

/**
 * Lifecycle events are JetStream publishes whose PubAck is awaited (jobs.md
 * §5), with the `request-id`/`traceparent`/`tracestate` headers of the
 * job's context. `msgId` is the `Nats-Msg-Id`: callers that may repeat the
 * same decision (janitor, advisories, several owners for a moment) pass a
 * deterministic one so JetStream drops the repeat.
 */
export class JobPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly timeoutMs = 5000,
  ) {}

  async publish(event: JobEvent, msgId: string = `${event.jobId}.${event.eventType}.${ulid()}`) {
    const headers = natsHeaders();
    headers.set("request-id", event.context.requestId);
    headers.set("traceparent", event.context.traceparent);
    if (event.context.tracestate !== undefined) headers.set("tracestate", event.context.tracestate);
    const subject = jobEventSubject(event.service, event.jobType, event.jobId, event.eventType);
    try {
      const ack = await this.js.publish(subject, JSON.stringify(event), {
        msgID: msgId,
        headers,
        timeout: this.timeoutMs,
      });
      return ok({ seq: ack.seq, duplicate: ack.duplicate }) as Result<
        { seq: number; duplicate: boolean },
        UnexpectedError
      >;
    } catch (cause) {
      return err(UnexpectedError.from(cause, { context: { reason: "the job event was not stored", subject } }));
    }
  }
}
