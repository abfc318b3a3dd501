import { err, ok, ValidationError, type Result } from "../../contracts/index.ts";
import { DEFAULT_SHUTDOWN_GRACE_MS, type JobWorker } from "./job-worker.ts";

/**
 * The job workers of one service instance: at most one per queue, none once
 * the service stops (§8 startup step 1: a duplicate or late registration
 * fails fast), and all of them stopped together (§9).
 */
export class JobWorkers {
  readonly #workers = new Map<string, JobWorker>();
  #stopping = false;

  constructor(private readonly graceMs: number = DEFAULT_SHUTDOWN_GRACE_MS) {}

  /** Reserves the queue for `worker`; the caller starts it (and releases it if that fails). */
  claim(queue: string, worker: JobWorker): Result<void, ValidationError> {
    const at = [{ path: `/jobs/${queue}`, message: "" }];
    if (this.#stopping)
      return err(new ValidationError([{ ...at[0]!, message: "the service is stopping: no new job handlers" }]));
    if (this.#workers.has(queue)) {
      return err(new ValidationError([{ ...at[0]!, message: "already has a handler in this service instance" }]));
    }
    this.#workers.set(queue, worker);
    return ok(undefined);
  }

  release(queue: string, worker: JobWorker): void {
    if (this.#workers.get(queue) === worker) this.#workers.delete(queue);
  }

  /** After a reconnect: every slot pulls again at once. */
  wake(): void {
    for (const worker of this.#workers.values()) worker.wake();
  }

  stop(): Promise<unknown> {
    this.#stopping = true;
    return Promise.allSettled([...this.#workers.values()].map((worker) => worker.stop(this.graceMs)));
  }
}
