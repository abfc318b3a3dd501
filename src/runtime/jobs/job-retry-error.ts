import { TrellisError, type TrellisErrorOptions } from "../../contracts/index.ts";

/**
 * The one retryable outcome of a job handler (jobs.md §7): returned as
 * `Result.err(new JobRetryError(…))` or thrown, the job is NAKed with the
 * queue's backoff and tried again until `maxDeliver`. Every other error is
 * final (`failed`).
 */
export class JobRetryError extends TrellisError<"JobRetryError"> {
  readonly type = "JobRetryError";

  constructor(message: string, options: TrellisErrorOptions = {}) {
    super(message, options);
  }
}

/** `wait()` on a job that ended in any terminal state but `completed`. */
export class JobNotCompletedError extends TrellisError<"JobNotCompletedError"> {
  readonly type = "JobNotCompletedError";
  readonly state: string;
  readonly lastError: string | undefined;

  constructor(jobId: string, state: string, lastError: string | undefined) {
    super(`job ${jobId} ended ${state}${lastError === undefined ? "" : `: ${lastError}`}`, {
      context: { jobId, state },
    });
    this.state = state;
    this.lastError = lastError;
  }

  protected override fields() {
    return this.lastError === undefined ? { state: this.state } : { state: this.state, lastError: this.lastError };
  }
}
