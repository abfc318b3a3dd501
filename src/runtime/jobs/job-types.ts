import type {
  AsyncResult,
  TransportError,
  TrellisError,
  UnexpectedError,
  ValidationError,
} from "../../contracts/index.ts";
import type { Registration } from "../facade/service-facade.ts";
import type { HandlerResult } from "../rpc/handler-result.ts";

/**
 * The typed shapes of job queues (jobs.md §7-§8): what `service.jobs.<queue>`
 * is, over payload types. The runtime does not run jobs yet; its queues
 * answer with `JOBS_UNAVAILABLE` (job-queue-unavailable.ts).
 */

export interface JobCreateOptions {
  readonly deadlineMs?: number;
}

export interface JobRef<TResult> {
  readonly id: string;
  readonly service: string;
  readonly queue: string;
  wait(): AsyncResult<TResult, TrellisError>;
}

export interface ActiveJob {
  readonly id: string;
  readonly attempt: number;
  readonly signal: AbortSignal;
  progress(progress: unknown): AsyncResult<void, TransportError>;
  log(message: string): AsyncResult<void, TransportError>;
}

export interface JobHandlerArgs<TPayload, TClient, TDeps> {
  readonly payload: TPayload;
  readonly job: ActiveJob;
  readonly client: TClient;
  readonly deps: TDeps;
}

export type JobHandler<TPayload, TResult, TClient, TDeps> = (
  args: JobHandlerArgs<TPayload, TClient, TDeps>,
) => HandlerResult<TResult>;

/** `service.jobs.<queue>`. */
export interface JobQueue<TPayload, TResult, TClient, TDeps> {
  create(
    payload: TPayload,
    options?: JobCreateOptions,
  ): AsyncResult<JobRef<TResult>, ValidationError | TransportError | UnexpectedError>;
  handle(handler: JobHandler<TPayload, TResult, TClient, TDeps>): Registration;
}
