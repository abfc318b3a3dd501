import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { JOBS_STREAM, workerHeartbeatSubject } from "../../contracts/index.ts";
import type { Logger } from "../../runtime/index.ts";
import type { PresenceRows } from "./presence-rows.ts";

export const DEFAULT_HEARTBEAT_PURGE_INTERVAL_MS = 10 * 60_000;
const FORGET_AFTER_MS = 24 * 3600_000;

/**
 * Heartbeats are stored in `JOBS` and 2.10 has no per-message TTL (jobs.md
 * §13): per worker, keep only the newest heartbeat, and none (and forget
 * the worker) once it has been silent for a day.
 */
export async function purgeHeartbeats(
  nc: NatsConnection,
  deps: { presence: PresenceRows; logger: Logger },
  now: number = Date.now(),
): Promise<{ purged: number }> {
  const jsm = await jetstreamManager(nc);
  let purged = 0;
  for (const heartbeat of deps.presence.all()) {
    const gone = Date.parse(heartbeat.timestamp) < now - FORGET_AFTER_MS;
    const filter = workerHeartbeatSubject(heartbeat.service, heartbeat.jobType, heartbeat.instanceId);
    try {
      const response = await jsm.streams.purge(JOBS_STREAM, { filter, keep: gone ? 0 : 1 });
      purged += response.purged;
      if (gone) deps.presence.forget(heartbeat);
    } catch (error) {
      deps.logger.warn(
        { filter, error: error instanceof Error ? error.message : String(error) },
        "heartbeat purge failed",
      );
    }
  }
  return { purged };
}
