import type { Job, JobEvent, JobEventType, JobState } from "./job-wire.ts";

/**
 * Where a job changes state (jobs.md §3, §5): one lifecycle event applied to
 * the projected job. Pure and deterministic (no clock, no randomness), so
 * replaying `JOBS` in order rebuilds an identical projection.
 *
 * An event is applied only from a state its row of the table lists; any
 * other event is ignored (the projector still acks it). The "To" state comes
 * from the table, never from the event's own `state` or `previousState`
 * (informational only).
 */

type Transition = { from: readonly JobState[] | "none"; to: JobState };

const ALIVE: readonly JobState[] = ["pending", "retry", "active"];

/** jobs.md §3: per event, the states it may be applied from and the state it leads to. */
export const JOB_TRANSITIONS: { readonly [E in JobEventType]: Transition } = {
  created: { from: "none", to: "pending" },
  // From `active` too: a redelivery after a crash, ack-wait expiry or shutdown reports no outcome.
  started: { from: ["pending", "retry", "active"], to: "active" },
  progress: { from: ["active"], to: "active" },
  logged: { from: ["active"], to: "active" },
  completed: { from: ["active"], to: "completed" },
  failed: { from: ["active"], to: "failed" },
  retry: { from: ["active"], to: "retry" },
  cancelled: { from: ALIVE, to: "cancelled" },
  expired: { from: ALIVE, to: "expired" },
  dead: { from: ALIVE, to: "dead" },
  retried: { from: ["failed", "dead"], to: "pending" },
  dismissed: { from: ["dead"], to: "dismissed" },
};

export type JobTransition = { applied: true; job: Job } | { applied: false; reason: string };

const ignored = (reason: string): JobTransition => ({ applied: false, reason });

/** Applies `event` to `current` (undefined: no job with that id yet). */
export function applyJobEvent(current: Job | undefined, event: JobEvent): JobTransition {
  const transition = JOB_TRANSITIONS[event.eventType];
  if (current === undefined) {
    if (transition.from !== "none") return ignored(`${event.eventType} for a job that was never created`);
    return seed(event);
  }
  if (transition.from === "none") return ignored(`${event.eventType} for a job that already exists`);
  if (current.id !== event.jobId || current.service !== event.service || current.type !== event.jobType) {
    return ignored(
      `event names ${event.service}/${event.jobType}/${event.jobId}, the job is ${current.service}/${current.type}/${current.id}`,
    );
  }
  if (!transition.from.includes(current.state)) {
    return ignored(`${event.eventType} is not applied in state ${current.state}`);
  }
  if (event.eventType === "retried" && event.payload === undefined) return ignored("retried without payload");
  return { applied: true, job: reduce(current, event, transition.to) };
}

function seed(event: JobEvent): JobTransition {
  // jobs.md §5: `created` MUST carry the payload and maxTries; workers drop such an item as well.
  if (event.payload === undefined || event.maxTries === undefined)
    return ignored("created without payload or maxTries");
  return {
    applied: true,
    job: compact({
      id: event.jobId,
      service: event.service,
      type: event.jobType,
      state: "pending",
      context: event.context,
      payload: event.payload,
      createdAt: event.timestamp,
      updatedAt: event.timestamp,
      tries: event.tries,
      maxTries: event.maxTries,
      deadline: event.deadline,
    }),
  };
}

function reduce(current: Job, event: JobEvent, to: JobState): Job {
  const next: Job = {
    ...current,
    state: to,
    updatedAt: event.timestamp,
    tries: event.tries,
    maxTries: event.maxTries ?? current.maxTries,
  };
  switch (event.eventType) {
    case "started":
      next.startedAt = event.timestamp;
      break;
    case "progress":
      if (event.progress !== undefined) next.progress = event.progress;
      break;
    case "logged":
      if (event.logs !== undefined && event.logs.length > 0) next.logs = [...(current.logs ?? []), ...event.logs];
      break;
    case "completed":
      if (event.result !== undefined) next.result = event.result;
      next.completedAt = event.timestamp;
      break;
    case "retry":
      if (event.error !== undefined) next.lastError = event.error;
      break;
    case "retried":
      // A fresh attempt of the same job: its payload and deadline, none of the last attempt's outcome.
      if (event.payload !== undefined) next.payload = event.payload;
      next.deadline = event.deadline;
      delete next.result;
      delete next.startedAt;
      delete next.completedAt;
      delete next.lastError;
      delete next.progress;
      delete next.logs;
      break;
    case "failed":
    case "cancelled":
    case "expired":
    case "dead":
    case "dismissed":
      next.completedAt = event.timestamp;
      if (event.error !== undefined) next.lastError = event.error;
      break;
    case "created":
      break;
  }
  return compact(next);
}

/** Drops keys whose value is undefined, so equal jobs serialize to equal JSON. */
function compact(job: Job): Job {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(job)) if (value !== undefined) out[key] = value;
  return out as Job;
}

/** Replays events in order from nothing; what a rebuild of the projection computes per job. */
export function replayJobEvents(events: Iterable<JobEvent>): Map<string, Job> {
  const jobs = new Map<string, Job>();
  for (const event of events) {
    const applied = applyJobEvent(jobs.get(event.jobId), event);
    if (applied.applied) jobs.set(event.jobId, applied.job);
  }
  return jobs;
}
