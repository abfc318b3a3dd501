import * as v from "valibot";
import { WorkerHeartbeatSchema, type WorkerHeartbeat } from "../../contracts/index.ts";
import { METADATA, type JobsDb } from "./jobs-db.ts";
import { timestampNanos } from "./timestamps.ts";

/** jobs.md §13: a worker is fresh while its last heartbeat is at most 90 s old. */
export const WORKER_FRESH_MS = 90_000;

/**
 * `worker_presence_projection`: the newest heartbeat per (service, job type,
 * instance). Passive: nothing here ever touches a job.
 */
export class PresenceRows {
  readonly #db: JobsDb;
  readonly #current;
  readonly #upsert;

  constructor(db: JobsDb) {
    this.#db = db;
    this.#current = db.db.query<{ heartbeat_at: string }, [string, string, string]>(
      "SELECT heartbeat_at FROM worker_presence_projection WHERE service = ? AND job_type = ? AND instance_id = ?",
    );
    this.#upsert = db.db.query<unknown, [string, string, string, number | null, string | null, string, string]>(
      `INSERT INTO worker_presence_projection (service, job_type, instance_id, concurrency, version, heartbeat_at, record_json)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (service, job_type, instance_id) DO UPDATE SET concurrency = excluded.concurrency,
         version = excluded.version, heartbeat_at = excluded.heartbeat_at, record_json = excluded.record_json`,
    );
  }

  projectedSeq(): number {
    return Number(this.#db.metadata(METADATA.presenceStreamSeq) ?? "0");
  }

  /** Keeps `heartbeat` unless the row already holds a newer one. */
  apply(seq: number, heartbeat: WorkerHeartbeat): "applied" | "older" | "stale" {
    return this.#db.db
      .transaction((): "applied" | "older" | "stale" => {
        if (seq <= this.projectedSeq()) return "stale";
        this.#db.setMetadata(METADATA.presenceStreamSeq, String(seq));
        const current = this.#current.get(heartbeat.service, heartbeat.jobType, heartbeat.instanceId);
        const incoming = timestampNanos(heartbeat.timestamp) ?? 0n;
        if (current !== null && (timestampNanos(current.heartbeat_at) ?? 0n) > incoming) return "older";
        this.#upsert.run(
          heartbeat.service,
          heartbeat.jobType,
          heartbeat.instanceId,
          heartbeat.concurrency ?? null,
          heartbeat.version ?? null,
          heartbeat.timestamp,
          JSON.stringify(heartbeat),
        );
        return "applied";
      })
      .immediate();
  }

  advance(seq: number): void {
    this.#db.db.transaction(() => {
      if (seq > this.projectedSeq()) this.#db.setMetadata(METADATA.presenceStreamSeq, String(seq));
    })();
  }

  all(): WorkerHeartbeat[] {
    return this.#db.db
      .query<{ record_json: string }, []>(
        "SELECT record_json FROM worker_presence_projection ORDER BY service, job_type, instance_id",
      )
      .all()
      .flatMap((row) => parseHeartbeat(row.record_json) ?? []);
  }

  /** Heartbeats newer than `now - WORKER_FRESH_MS`. */
  fresh(now: number): WorkerHeartbeat[] {
    return this.all().filter((heartbeat) => Date.parse(heartbeat.timestamp) >= now - WORKER_FRESH_MS);
  }

  /** Forgets a worker whose heartbeats were purged from `JOBS` (stale for a day). */
  forget(heartbeat: Pick<WorkerHeartbeat, "service" | "jobType" | "instanceId">): void {
    this.#db.db
      .query<unknown, [string, string, string]>(
        "DELETE FROM worker_presence_projection WHERE service = ? AND job_type = ? AND instance_id = ?",
      )
      .run(heartbeat.service, heartbeat.jobType, heartbeat.instanceId);
  }
}

function parseHeartbeat(text: string): WorkerHeartbeat | undefined {
  try {
    const parsed = v.safeParse(WorkerHeartbeatSchema, JSON.parse(text));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
