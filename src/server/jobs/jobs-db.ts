import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Database } from "bun:sqlite";
import { err, ok, type Result } from "../../contracts/index.ts";

/**
 * The projection database (jobs.md §11), a disposable view of `JOBS`:
 * deleting the file (and the durable) rebuilds it. WAL so `rpc-only`
 * replicas sharing the file read while the owner writes.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs_projection (service TEXT NOT NULL, job_type TEXT NOT NULL, id TEXT NOT NULL,
  state TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  updated_at_nanos INTEGER NOT NULL, deadline TEXT, deadline_nanos INTEGER,
  payload_json TEXT NOT NULL, job_json TEXT NOT NULL, PRIMARY KEY (service, job_type, id));
CREATE UNIQUE INDEX IF NOT EXISTS idx_jobs_projection_global_id ON jobs_projection (id);
CREATE INDEX IF NOT EXISTS idx_jobs_projection_updated ON jobs_projection (updated_at_nanos DESC, service, job_type, id);
CREATE INDEX IF NOT EXISTS idx_jobs_projection_deadline ON jobs_projection (deadline_nanos, state);
CREATE TABLE IF NOT EXISTS worker_presence_projection (service TEXT NOT NULL, job_type TEXT NOT NULL,
  instance_id TEXT NOT NULL, concurrency INTEGER, version TEXT, heartbeat_at TEXT NOT NULL,
  record_json TEXT NOT NULL, PRIMARY KEY (service, job_type, instance_id));
CREATE TABLE IF NOT EXISTS projection_metadata (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Names in `projection_metadata`. */
export const METADATA = {
  /** The last `JOBS` sequence the projector applied (jobs.md §10). */
  jobsStreamSeq: "jobs_stream_seq",
  /** The same for the presence projector, so a dropped database is noticed for heartbeats too. */
  presenceStreamSeq: "presence_stream_seq",
  /** The owner's lease: `{instanceId, until}` (design/jobs-admin.md "Ownership"). */
  ownerLease: "owner_lease",
} as const;

export type JobsDb = {
  db: Database;
  path: string;
  metadata(name: string): string | undefined;
  setMetadata(name: string, value: string): void;
  close(): void;
};

export function openJobsDb(path: string): Result<JobsDb, string> {
  let db: Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { create: true, strict: true });
    // Other replicas may hold the write lock for a moment (lease renewals); wait rather than fail.
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec(SCHEMA);
  } catch (error) {
    return err(`cannot open the jobs database ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const read = db.query<{ value: string }, [string]>("SELECT value FROM projection_metadata WHERE name = ?");
  const write = db.query<unknown, [string, string]>(
    "INSERT INTO projection_metadata (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
  );
  return ok({
    db,
    path,
    metadata: (name) => read.get(name)?.value,
    setMetadata: (name, value) => void write.run(name, value),
    close: () => db.close(),
  });
}
