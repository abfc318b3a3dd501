import {
  AsyncResult,
  err,
  TransportError,
  ValidationError,
  type JobContext,
  type JobLogEntry,
  type JobProgress,
  type Result,
} from "../../contracts/index.ts";
import type { Delivery } from "../events/pull-consumer.ts";
import type { JobQueueBinding } from "./job-binding.ts";
import { jobEvent, type JobEventPublisher, type JobIdentity } from "./job-events.ts";
import type { JobPull } from "./job-pull.ts";
import type { ActiveJob, JobCancelReason, JobHandleError, JobLogInput, JobRef } from "./job-types.ts";

export const JOB_TOKEN_FIRED = "trellis.jobs.token_fired";

type ActiveJobParts<TPayload, TResult> = {
  identity: JobIdentity;
  binding: JobQueueBinding;
  payload: TPayload;
  ref: JobRef<TResult>;
  token: AbortController;
  delivery: Delivery;
  pull: JobPull;
  publisher: JobEventPublisher;
};

/** The handle a job handler gets (jobs.md §7) for one delivery of one job. */
export function activeJob<TPayload, TResult>(parts: ActiveJobParts<TPayload, TResult>): ActiveJob<TPayload, TResult> {
  const { identity, binding, token, delivery, pull, publisher } = parts;
  const signal = token.signal;
  const cancelled = new Promise<JobCancelReason>((resolve) => {
    if (signal.aborted) resolve(signal.reason as JobCancelReason);
    else signal.addEventListener("abort", () => resolve(signal.reason as JobCancelReason), { once: true });
  });
  const at = `/jobs/${binding.jobType}`;

  const send = (
    enabled: boolean,
    what: "progress" | "logs",
    fields: { progress?: JobProgress; logs?: JobLogEntry[] },
  ): AsyncResult<void, JobHandleError> => {
    if (!enabled) {
      return AsyncResult.err(
        new ValidationError([{ path: `${at}/${what}`, message: `${what} is disabled for this queue` }]),
      );
    }
    if (signal.aborted) {
      return AsyncResult.err(
        new TransportError(
          JOB_TOKEN_FIRED,
          `job ${identity.jobId} was ${signal.reason === "job" ? "cancelled" : "interrupted by shutdown"}`,
          {
            context: { jobId: identity.jobId, reason: signal.reason },
          },
        ),
      );
    }
    const eventType = what === "progress" ? "progress" : "logged";
    return new AsyncResult(
      publisher
        .publish(jobEvent(identity, eventType, { tries: delivery.delivered, ...fields }))
        .then((published): Result<void, JobHandleError> =>
          published.isErr() ? err(published.error) : published.map(() => undefined),
        ),
    );
  };

  return Object.freeze({
    id: identity.jobId,
    payload: parts.payload,
    context: identity.context,
    ref: parts.ref,
    signal,
    cancelled,
    progress: (progress: JobProgress) => send(binding.settings.progress, "progress", { progress }),
    log: (entry: JobLogInput) => {
      const { level = "info", message } = typeof entry === "string" ? { message: entry } : entry;
      return send(binding.settings.logs, "logs", { logs: [{ timestamp: new Date().toISOString(), level, message }] });
    },
    heartbeat: () => pull.inProgress(delivery),
    redeliveryCount: () => delivery.delivered - 1,
    isRedelivery: () => delivery.delivered > 1,
  });
}
