import type {
  AsyncResult,
  JobContext,
  JobLogEntry,
  JobProgress,
  JobState,
  TransportError,
  TrellisError,
  UnexpectedError,
  ValidationError,
} from "../../contracts/index.ts";
import type { Registration } from "../facade/service-facade.ts";
import type { HandlerResult } from "../rpc/handler-result.ts";

/**
 * The typed shapes of job queues (jobs.md §5, §7-§8): what `service.jobs.<queue>`
 * is, over payload and result types. A queue with a binding runs (job-queue.ts);
 * one without answers `JOBS_UNAVAILABLE` (job-queue-unavailable.ts).
 */

export interface JobCreateOptions {
  /** Overrides the queue's `defaultDeadlineMs` for this job. */
  readonly deadlineMs?: number;
}

/** Why an active job's token fired (§7): a `cancelled` (or live `expired`) event, or the service stopping. */
export type JobCancelReason = "job" | "shutdown";

/** What the lifecycle events on `JOBS` say about a job now (`JobRef.get()`). */
export interface JobSnapshot<TResult> {
  readonly id: string;
  readonly service: string;
  readonly queue: string;
  readonly state: JobState;
  readonly tries: number;
  readonly result?: TResult;
  readonly error?: string;
  readonly updatedAt: string;
}

export interface JobWaitOptions {
  /** Give up waiting after this long (ms); default: wait until the job settles. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** What `cancel()` did: published a `cancelled` event, or found the job already settled. */
export type JobCancelOutcome = { readonly cancelled: true } | { readonly cancelled: false; readonly state: JobState };

export interface JobRef<TResult> {
  readonly id: string;
  readonly service: string;
  readonly queue: string;
  /** The job's state as its lifecycle events say; `undefined` when none are stored. */
  get(): AsyncResult<JobSnapshot<TResult> | undefined, TransportError | UnexpectedError>;
  /** The result once `completed`; a `JobNotCompletedError` for any other terminal state. */
  wait(options?: JobWaitOptions): AsyncResult<TResult, TrellisError>;
  /** Publishes `cancelled` unless the job is already terminal (jobs.md §9: cancellation is cooperative). */
  cancel(): AsyncResult<JobCancelOutcome, TransportError | UnexpectedError>;
}

/** A log line from a handler; `timestamp` is filled in, `level` defaults to `info`. */
export type JobLogInput = string | { readonly level?: JobLogEntry["level"]; readonly message: string };

export type JobHandleError = ValidationError | TransportError | UnexpectedError;

/** The active-job handle (jobs.md §7). */
export interface ActiveJob<TPayload = unknown, TResult = unknown> {
  readonly id: string;
  /** The validated payload. */
  readonly payload: TPayload;
  /** Frozen: every event of the job carries it. */
  readonly context: Readonly<JobContext>;
  readonly ref: JobRef<TResult>;
  /** Aborted on cancellation or shutdown; `signal.reason` is `"job"` or `"shutdown"`. */
  readonly signal: AbortSignal;
  /** Resolves with the reason when the token fires (never rejects). */
  readonly cancelled: Promise<JobCancelReason>;
  /** Publishes `progress`; an Err when the queue disables progress or after the token fired. */
  progress(progress: JobProgress): AsyncResult<void, JobHandleError>;
  /** Publishes `logged` with this one entry; an Err when the queue disables logs or after the token fired. */
  log(entry: JobLogInput): AsyncResult<void, JobHandleError>;
  /** `+WPI` on the work message: resets `ack_wait`. Required for work that may outlast `ackWaitMs`. */
  heartbeat(): void;
  /** The delivery count − 1. */
  redeliveryCount(): number;
  isRedelivery(): boolean;
}

export interface JobHandlerArgs<TPayload, TResult, TClient, TDeps> {
  readonly payload: TPayload;
  readonly job: ActiveJob<TPayload, TResult>;
  readonly client: TClient;
  readonly deps: TDeps;
}

/**
 * `Result.ok(result)` completes the job; `Result.err(new JobRetryError(…))`
 * (or a thrown one) retries it; any other error or throw fails it.
 */
export type JobHandler<TPayload, TResult, TClient, TDeps> = (
  args: JobHandlerArgs<TPayload, TResult, TClient, TDeps>,
) => HandlerResult<TResult>;

/** `service.jobs.<queue>`. */
export interface JobQueue<TPayload, TResult, TClient, TDeps> {
  create(
    payload: TPayload,
    options?: JobCreateOptions,
  ): AsyncResult<JobRef<TResult>, ValidationError | TransportError | UnexpectedError>;
  /** Starts this instance's worker for the queue; resolves once its consumer and subscriptions are in place. */
  handle(handler: JobHandler<TPayload, TResult, TClient, TDeps>): Registration;
}
