import type { JobEventPublisher, Logger } from "../../runtime/index.ts";
import { adminEvent } from "./job-publisher.ts";
import type { JobRows } from "./job-rows.ts";
import { nowNanos } from "./timestamps.ts";

export const DEFAULT_JANITOR_INTERVAL_MS = 30_000;

/**
 * The janitor (jobs.md §10, invariant 11): live jobs (`pending`, `retry`,
 * `active`) whose business deadline has passed get `expired`. Only
 * deadlines: heartbeat staleness and ack timeouts are the consumer's
 * business. It writes no rows; the projector applies the event like any
 * other. The owner sweeps only while the projector is caught up (a row
 * still replaying would look live), and the `Nats-Msg-Id` is the job and the
 * row's `updatedAt`, so sweeping again before the event is projected stores
 * nothing twice.
 */
export async function sweepExpired(
  deps: { rows: JobRows; publisher: JobEventPublisher; logger: Logger },
  now: Date = new Date(),
): Promise<number> {
  let expired = 0;
  for (const job of deps.rows.pastDeadline(nowNanos(now.getTime()))) {
    const event = adminEvent(job, "expired", { tries: job.tries, error: "job exceeded deadline" }, now);
    const published = await deps.publisher.publish(event, `${job.id}.expired.${job.updatedAt}`);
    if (published.isErr()) {
      deps.logger.warn(
        { jobId: job.id, error: published.error.message },
        "expired event not stored; next sweep retries",
      );
      continue;
    }
    if (!published.value.duplicate) expired++;
    deps.logger.info({ jobId: job.id, service: job.service, type: job.type, deadline: job.deadline }, "job expired");
  }
  return expired;
}
