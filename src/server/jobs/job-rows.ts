import * as v from "valibot";
import { applyJobEvent, JobSchema, type Job, type JobEvent, type JobState } from "../../contracts/index.ts";
import { METADATA, type JobsDb } from "./jobs-db.ts";
import { timestampNanos } from "./timestamps.ts";

export type JobFilter = {
  service?: string;
  type?: string;
  /** Undefined: any state; empty: nothing. */
  states?: readonly JobState[];
  since?: string;
};

export type JobPage = { entries: Job[]; count: number };

/** What applying one `JOBS` message did. */
export type Projected =
  | { kind: "applied"; job: Job }
  | { kind: "ignored"; reason: string }
  /** At or below the stored sequence: applied before (a redelivery, or a replay after restart). */
  | { kind: "stale" };

/**
 * `jobs_projection` (jobs.md §11): rows written only by `apply`, which the
 * projector calls in `JOBS` order; everything else reads. The applied
 * sequence is stored in the same transaction as the row, so a crash between
 * the two cannot apply an event twice or skip one.
 */
export class JobRows {
  readonly #db: JobsDb;
  readonly #byId;
  readonly #upsert;

  constructor(db: JobsDb) {
    this.#db = db;
    this.#byId = db.db.query<{ job_json: string }, [string]>("SELECT job_json FROM jobs_projection WHERE id = ?");
    this.#upsert = db.db.query<
      unknown,
      [string, string, string, string, string, string, bigint, string | null, bigint | null, string, string]
    >(
      `INSERT INTO jobs_projection (service, job_type, id, state, created_at, updated_at, updated_at_nanos,
         deadline, deadline_nanos, payload_json, job_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (service, job_type, id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
         updated_at_nanos = excluded.updated_at_nanos, deadline = excluded.deadline,
         deadline_nanos = excluded.deadline_nanos, payload_json = excluded.payload_json, job_json = excluded.job_json`,
    );
  }

  /** The last `JOBS` sequence applied (0 for a new database). */
  projectedSeq(): number {
    return Number(this.#db.metadata(METADATA.jobsStreamSeq) ?? "0");
  }

  /** Applies the event at stream sequence `seq` unless that sequence was applied already. */
  apply(seq: number, event: JobEvent): Projected {
    const run = this.#db.db.transaction((): Projected => {
      if (seq <= this.projectedSeq()) return { kind: "stale" };
      const transition = applyJobEvent(this.get(event.jobId), event);
      if (transition.applied) this.#write(transition.job);
      this.#db.setMetadata(METADATA.jobsStreamSeq, String(seq));
      return transition.applied
        ? { kind: "applied", job: transition.job }
        : { kind: "ignored", reason: transition.reason };
    });
    return run.immediate();
  }

  /** Records a message that held no applicable event (undecodable), so the sequence still moves on. */
  advance(seq: number): void {
    this.#db.db.transaction(() => {
      if (seq > this.projectedSeq()) this.#db.setMetadata(METADATA.jobsStreamSeq, String(seq));
    })();
  }

  get(id: string): Job | undefined {
    const row = this.#byId.get(id);
    return row === null ? undefined : parseJob(row.job_json);
  }

  /** Ordered `updated_at_nanos DESC, service, job_type, id` (jobs.md §12). */
  list(filter: JobFilter, offset: number, limit: number): JobPage {
    if (filter.states !== undefined && filter.states.length === 0) return { entries: [], count: 0 };
    const where: string[] = [];
    const params: (string | bigint)[] = [];
    const add = (condition: string, ...values: (string | bigint)[]) => {
      where.push(condition);
      params.push(...values);
    };
    if (filter.service !== undefined) add("service = ?", filter.service);
    if (filter.type !== undefined) add("job_type = ?", filter.type);
    if (filter.states !== undefined) add(`state IN (${filter.states.map(() => "?").join(", ")})`, ...filter.states);
    const since = filter.since === undefined ? undefined : timestampNanos(filter.since);
    if (since !== undefined) add("updated_at_nanos >= ?", since);
    const clause = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
    const count = this.#db.db
      .query<{ n: number }, (string | bigint)[]>(`SELECT count(*) AS n FROM jobs_projection ${clause}`)
      .get(...params);
    const rows = this.#db.db
      .query<{ job_json: string }, (string | bigint | number)[]>(
        `SELECT job_json FROM jobs_projection ${clause}
         ORDER BY updated_at_nanos DESC, service, job_type, id LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset);
    return { entries: rows.flatMap((row) => parseJob(row.job_json) ?? []), count: count?.n ?? 0 };
  }

  /** Live jobs whose business deadline has passed (the janitor, jobs.md §10). */
  pastDeadline(now: bigint): Job[] {
    return this.#db.db
      .query<{ job_json: string }, [bigint]>(
        `SELECT job_json FROM jobs_projection
         WHERE state IN ('pending', 'retry', 'active') AND deadline_nanos IS NOT NULL AND deadline_nanos <= ?
         ORDER BY deadline_nanos`,
      )
      .all(now)
      .flatMap((row) => parseJob(row.job_json) ?? []);
  }

  /** Every service that has at least one job. */
  services(): string[] {
    return this.#db.db
      .query<{ service: string }, []>("SELECT DISTINCT service FROM jobs_projection")
      .all()
      .map((row) => row.service);
  }

  #write(job: Job): void {
    const deadlineNanos = job.deadline === undefined ? null : (timestampNanos(job.deadline) ?? null);
    this.#upsert.run(
      job.service,
      job.type,
      job.id,
      job.state,
      job.createdAt,
      job.updatedAt,
      timestampNanos(job.updatedAt) ?? 0n,
      job.deadline ?? null,
      deadlineNanos,
      JSON.stringify(job.payload ?? null),
      JSON.stringify(job),
    );
  }
}

/** Rows are ours, but a file edited by hand or by another version must not be trusted blindly. */
function parseJob(text: string): Job | undefined {
  try {
    const parsed = v.safeParse(JobSchema, JSON.parse(text));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
