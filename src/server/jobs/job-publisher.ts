import { JOB_TRANSITIONS, type Job, type JobEvent, type JobEventType } from "../../contracts/index.ts";

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
