import {
  err,
  JobNotFoundError,
  ok,
  type Job,
  type JobState,
  type Result,
  type WorkerHeartbeat,
} from "../../contracts/index.ts";
import type { JobRows } from "./job-rows.ts";
import { page, type Page } from "./paging.ts";
import type { PresenceRows } from "./presence-rows.ts";

export type ListInput = {
  service?: string;
  type?: string;
  state?: JobState[];
  since?: string;
  offset?: number;
  limit: number;
};
export type ServiceSummary = { name: string; healthy: boolean; workers: WorkerHeartbeat[] };

export const jobNotFound = (id: string) => new JobNotFoundError({ resource: "Job", jobId: id });

/** The read RPCs of jobs.md §12 over the projection. */
export class JobReads {
  constructor(
    private readonly rows: JobRows,
    private readonly presence: PresenceRows,
    private readonly clock: () => number = Date.now,
  ) {}

  list(input: ListInput): Page<Job> {
    const offset = input.offset ?? 0;
    const found = this.rows.list(
      { service: input.service, type: input.type, states: input.state, since: input.since },
      offset,
      input.limit,
    );
    return page(found.entries, found.count, offset, input.limit);
  }

  listDlq(input: Omit<ListInput, "state">): Page<Job> {
    return this.list({ ...input, state: ["dead"] });
  }

  get(id: string): Result<{ job: Job }, InstanceType<typeof JobNotFoundError>> {
    const job = this.rows.get(id);
    return job === undefined ? err(jobNotFound(id)) : ok({ job });
  }

  /**
   * Every service known from jobs or heartbeats, by name; `workers` are the
   * fresh ones only (≤ 90 s), `healthy` = at least one (jobs.md §12, §13).
   */
  listServices(input: { offset?: number; limit: number }): Page<ServiceSummary> {
    const offset = input.offset ?? 0;
    const fresh = new Map<string, WorkerHeartbeat[]>();
    for (const heartbeat of this.presence.fresh(this.clock())) {
      fresh.set(heartbeat.service, [...(fresh.get(heartbeat.service) ?? []), heartbeat]);
    }
    const names = [
      ...new Set([...this.rows.services(), ...this.presence.all().map((heartbeat) => heartbeat.service)]),
    ].sort();
    const entries = names.slice(offset, offset + input.limit).map((name) => {
      const workers = fresh.get(name) ?? [];
      return { name, healthy: workers.length > 0, workers };
    });
    return page(entries, names.length, offset, input.limit);
  }
}
