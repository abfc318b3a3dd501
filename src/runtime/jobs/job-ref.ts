import type { NatsConnection } from "@nats-io/nats-core";
import {
  AsyncResult,
  err,
  ok,
  TransportError,
  UnexpectedError,
  type JobContext,
  type Result,
  type TrellisError,
} from "../../contracts/index.ts";
import type { JobQueueBinding } from "./job-binding.ts";
import { jobEvent, type JobEventPublisher } from "./job-events.ts";
import { readJobLifecycle, type JobLifecycle } from "./job-lifecycle-read.ts";
import { JobNotCompletedError } from "./job-retry-error.ts";
import type { JobCancelOutcome, JobRef, JobSnapshot, JobWaitOptions } from "./job-types.ts";

export type JobRefDeps = {
  nc: NatsConnection;
  binding: JobQueueBinding;
  publisher: JobEventPublisher;
  timeoutMs: number;
};

/**
 * A job of this service's own queue (jobs.md §5): its state is read from
 * its lifecycle events in `JOBS` with the worker's direct gets, `wait()`
 * listens on the job's own subjects, `cancel()` publishes `cancelled`.
 */
export class JobRefHandle<TResult> implements JobRef<TResult> {
  constructor(
    private readonly deps: JobRefDeps,
    readonly id: string,
    private readonly context: JobContext,
  ) {}

  get service(): string {
    return this.deps.binding.service;
  }

  get queue(): string {
    return this.deps.binding.jobType;
  }

  get(): AsyncResult<JobSnapshot<TResult> | undefined, TransportError | UnexpectedError> {
    return new AsyncResult(this.#read().then((read) => read.map((lifecycle) => this.#snapshot(lifecycle))));
  }

  wait(options: JobWaitOptions = {}): AsyncResult<TResult, TrellisError> {
    return new AsyncResult(this.#wait(options));
  }

  cancel(): AsyncResult<JobCancelOutcome, TransportError | UnexpectedError> {
    return new AsyncResult(this.#cancel());
  }

  #read(): Promise<Result<JobLifecycle, UnexpectedError>> {
    return readJobLifecycle(this.deps.nc, this.deps.binding.publishPrefix, this.id, this.deps.timeoutMs);
  }

  #snapshot(lifecycle: JobLifecycle): JobSnapshot<TResult> | undefined {
    const decided = lifecycle.latest;
    if (decided === undefined || lifecycle.state === undefined) return undefined;
    const { event } = decided;
    const error = event.error;
    return {
      id: this.id,
      service: this.service,
      queue: this.queue,
      state: lifecycle.state,
      tries: event.tries,
      ...(event.eventType === "completed" && event.result !== undefined ? { result: event.result as TResult } : {}),
      ...(error === undefined ? {} : { error }),
      updatedAt: event.timestamp,
    };
  }

  #outcome(lifecycle: JobLifecycle): Result<TResult, TrellisError> | undefined {
    const settled = lifecycle.settled?.event;
    if (settled === undefined) return undefined;
    if (settled.eventType === "completed") return ok(settled.result as TResult);
    return err(new JobNotCompletedError(this.id, settled.state, settled.error));
  }

  async #wait(options: JobWaitOptions): Promise<Result<TResult, TrellisError>> {
    const { nc, binding } = this.deps;
    // Subscribe before reading, so a terminal event between the two is not missed.
    const subscription = nc.subscribe(`${binding.publishPrefix}.${this.id}.*`);
    const stop = () => subscription.unsubscribe();
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(stop, options.timeoutMs);
    options.signal?.addEventListener("abort", stop, { once: true });
    try {
      const first = await this.#read();
      if (first.isErr()) return err(first.error);
      const done = this.#outcome(first.value);
      if (done !== undefined) return done;
      for await (const msg of subscription) {
        const event = msg.subject.split(".").at(-1) ?? "";
        if (!["completed", "failed", "cancelled", "expired", "dead", "dismissed"].includes(event)) continue;
        // Re-read: the first terminal in stream order wins, whichever message reached us first.
        const read = await this.#read();
        if (read.isErr()) return err(read.error);
        const outcome = this.#outcome(read.value);
        if (outcome !== undefined) return outcome;
      }
      const reason = options.signal?.aborted === true ? "aborted" : "timeout";
      return err(
        new TransportError(`trellis.jobs.wait_${reason}`, `job ${this.id} did not settle before the wait ended`, {
          context: { jobId: this.id, reason },
        }),
      );
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener("abort", stop);
      stop();
    }
  }

  async #cancel(): Promise<Result<JobCancelOutcome, TransportError | UnexpectedError>> {
    const read = await this.#read();
    if (read.isErr()) return err(read.error);
    const lifecycle = read.value;
    if (lifecycle.settled !== undefined) return ok({ cancelled: false, state: lifecycle.settled.event.state });
    const { binding, publisher } = this.deps;
    const event = jobEvent(
      {
        jobId: this.id,
        service: binding.service,
        jobType: binding.jobType,
        context: this.context,
        maxTries: binding.settings.maxDeliver,
      },
      "cancelled",
      { previousState: lifecycle.state ?? "pending", tries: lifecycle.latest?.event.tries ?? 0 },
    );
    const published = await publisher.publish(event);
    return published.isErr() ? err(published.error) : ok({ cancelled: true });
  }
}
