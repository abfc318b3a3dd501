import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { Logger } from "../observability/logger.ts";
import type { JobCancelReason } from "./job-types.ts";

/** Cancels that came before their job was registered are remembered this long (jobs.md §9: ~10 min) … */
export const EARLY_CANCEL_TTL_MS = 10 * 60_000;
/** … and at most this many (the oldest is forgotten first). */
const EARLY_CANCEL_LIMIT = 10_000;

/**
 * The cancellation tokens of one queue's active jobs (§8 step 5, §9):
 * `cancelled` events (and live `expired` ones, treated alike) on
 * `trellis.jobs.<service>.<job-type>.*.<event>` fire the token of the job
 * they name with reason `job`; one for a job not registered yet is kept
 * and applied when it registers.
 */
export class JobCancellations {
  readonly #tokens = new Map<string, AbortController>();
  /** jobId → when the remembered cancel is forgotten; insertion order is age order. */
  readonly #early = new Map<string, number>();
  readonly #subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly publishPrefix: string,
    private readonly logger: Logger,
    private readonly nowMs: () => number = Date.now,
  ) {}

  start(): void {
    for (const event of ["cancelled", "expired"]) {
      this.#subscriptions.push(
        this.nc.subscribe(`${this.publishPrefix}.*.${event}`, {
          callback: (error, msg) => {
            if (error !== null) this.logger.error({ error }, "job cancellation subscription failed");
            else this.cancel(msg.subject.split(".")[4] ?? "");
          },
        }),
      );
    }
  }

  /** Fires the job's token, or remembers the cancel until it registers. */
  cancel(jobId: string): void {
    if (jobId === "") return;
    const token = this.#tokens.get(jobId);
    if (token !== undefined) {
      token.abort("job" satisfies JobCancelReason);
      return;
    }
    this.#early.delete(jobId);
    this.#early.set(jobId, this.nowMs() + EARLY_CANCEL_TTL_MS);
    this.#forget();
  }

  /** The job's token; aborted at once when a cancel for it came first. */
  register(jobId: string): AbortController {
    const token = new AbortController();
    this.#tokens.set(jobId, token);
    const until = this.#early.get(jobId);
    if (until !== undefined) {
      this.#early.delete(jobId);
      if (until > this.nowMs()) token.abort("job" satisfies JobCancelReason);
    }
    return token;
  }

  unregister(jobId: string): void {
    this.#tokens.delete(jobId);
  }

  /** Shutdown (§9): every active job's token fires with reason `shutdown`. */
  shutdown(): void {
    for (const token of this.#tokens.values()) token.abort("shutdown" satisfies JobCancelReason);
  }

  stop(): void {
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
  }

  #forget(): void {
    const now = this.nowMs();
    for (const [jobId, until] of this.#early) {
      if (until > now && this.#early.size <= EARLY_CANCEL_LIMIT) break;
      this.#early.delete(jobId);
    }
  }
}
