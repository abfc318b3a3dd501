import * as v from "valibot";
import { defineServiceContract } from "../authoring/define-contract.ts";
import { defineError } from "../authoring/define-error.ts";
import { JOB_NAME_TOKEN } from "../jobs/job-subjects.ts";
import {
  JobEventSchema,
  JobEventTypeSchema,
  JobSchema,
  JobStateSchema,
  WorkerHeartbeatSchema,
} from "../jobs/job-wire.ts";
import { HealthReportSchema } from "./health.ts";
import { EmptySchema } from "./shared-schemas.ts";

/**
 * `trellis.jobs@v1` (jobs.md §10, §12): the jobs admin surface, served by
 * the control plane's jobs admin runtime over its SQLite projection of
 * `JOBS`. Jobs are service-private; this is the operator's view, behind
 * `trellis jobs ...`.
 */

const Token = v.pipe(v.string(), v.regex(JOB_NAME_TOKEN, "must match ^[A-Za-z0-9_-]+$"));
const Offset = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
/** jobs.md §12 only asks for ≥ 1; the upper bound keeps one reply well under max_payload. */
export const MAX_PAGE_LIMIT = 1000;
const Limit = v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_PAGE_LIMIT));
const Since = v.pipe(v.string(), v.isoTimestamp("must be an RFC 3339 timestamp"));
const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

const page = <T extends v.GenericSchema>(entry: T) =>
  v.object({ entries: v.array(entry), count: Count, offset: Count, limit: Count, nextOffset: v.optional(Count) });

export const JobsListInputSchema = v.object({
  service: v.optional(Token),
  type: v.optional(Token),
  /** An empty list matches nothing. */
  state: v.optional(v.array(JobStateSchema)),
  since: v.optional(Since),
  offset: v.optional(Offset),
  limit: Limit,
});
export const JobsListDlqInputSchema = v.object({
  service: v.optional(Token),
  type: v.optional(Token),
  since: v.optional(Since),
  offset: v.optional(Offset),
  limit: Limit,
});
export const JobsListServicesInputSchema = v.object({ offset: v.optional(Offset), limit: Limit });
export const JobIdInputSchema = v.object({ id: v.pipe(v.string(), v.minLength(1)) });
export const JobResultSchema = v.object({ job: JobSchema });
export const JobPageSchema = page(JobSchema);
export const JobsServiceSchema = v.object({
  name: v.string(),
  healthy: v.boolean(),
  /** Fresh workers only (a heartbeat within 90 s). */
  workers: v.array(WorkerHeartbeatSchema),
});
export const JobsServicePageSchema = page(JobsServiceSchema);

export const JobsTailInputSchema = v.object({
  service: v.optional(Token),
  type: v.optional(Token),
  id: v.optional(Token),
  events: v.optional(v.array(JobEventTypeSchema)),
  /** Heartbeats too (only heartbeats when `events` is empty). */
  workers: v.optional(v.boolean()),
});
/** One frame of `Jobs.Tail`: a lifecycle event, or a worker heartbeat when `workers` is set. */
export const JobsTailFrameSchema = v.union([JobEventSchema, WorkerHeartbeatSchema]);

/** jobs.md §12: data `{ type, id, message, resource: "Job", jobId }`. */
export const JobNotFoundError = defineError({
  type: "NotFoundError",
  fields: { resource: v.literal("Job"), jobId: v.string() },
  message: (f) => `job '${f.jobId}' not found`,
});

const defineJobsContract = () =>
  defineServiceContract(
    {
      schemas: {
        Empty: EmptySchema,
        HealthReport: HealthReportSchema,
        JobsListServices: JobsListServicesInputSchema,
        JobsServicePage: JobsServicePageSchema,
        JobsList: JobsListInputSchema,
        JobsListDlq: JobsListDlqInputSchema,
        JobPage: JobPageSchema,
        JobId: JobIdInputSchema,
        JobResult: JobResultSchema,
        JobsTail: JobsTailInputSchema,
        JobsTailFrame: JobsTailFrameSchema,
      },
      errors: { NotFound: JobNotFoundError },
    },
    (ref) => {
      type Schema = Parameters<typeof ref.schema>[0];
      const method = <I extends Schema, O extends Schema>(
        input: I,
        output: O,
        capability: "admin.read" | "admin.mutate",
        extra: Parameters<typeof ref.error>[0][] = [],
      ) => ({
        version: "v1" as const,
        input: ref.schema(input),
        output: ref.schema(output),
        capabilities: { call: [capability] },
        errors: [...extra, "AuthError" as const, "ValidationError" as const, "UnexpectedError" as const].map((name) =>
          ref.error(name),
        ),
      });
      return {
        id: "trellis.jobs@v1",
        displayName: "Trellis jobs",
        description:
          "The operator's view of every service's jobs: list, inspect, cancel, retry, dead letters, live tail.",
        capabilities: {
          "admin.read": { displayName: "Read jobs", description: "List and inspect jobs, workers and dead letters." },
          "admin.mutate": {
            displayName: "Change jobs",
            description: "Cancel, retry, replay and dismiss jobs.",
            consequence: "Re-runs or stops work of any service.",
          },
          "admin.stream": {
            displayName: "Tail jobs",
            description: "Follow every job event and worker heartbeat live.",
          },
        },
        rpc: {
          "Jobs.Health": method("Empty", "HealthReport", "admin.read"),
          "Jobs.ListServices": method("JobsListServices", "JobsServicePage", "admin.read"),
          "Jobs.List": method("JobsList", "JobPage", "admin.read"),
          "Jobs.Get": method("JobId", "JobResult", "admin.read", ["NotFound"]),
          "Jobs.Cancel": method("JobId", "JobResult", "admin.mutate", ["NotFound"]),
          "Jobs.Retry": method("JobId", "JobResult", "admin.mutate", ["NotFound"]),
          "Jobs.ListDLQ": method("JobsListDlq", "JobPage", "admin.read"),
          "Jobs.ReplayDLQ": method("JobId", "JobResult", "admin.mutate", ["NotFound"]),
          "Jobs.DismissDLQ": method("JobId", "JobResult", "admin.mutate", ["NotFound"]),
        },
        feeds: {
          "Jobs.Tail": {
            version: "v1",
            input: ref.schema("JobsTail"),
            event: ref.schema("JobsTailFrame"),
            capabilities: { subscribe: ["admin.stream"] },
          },
        },
      };
    },
  );

export type JobsContract = ReturnType<typeof defineJobsContract>;
let jobsContractModule: JobsContract | undefined;

/** `trellis.jobs@v1`, served by the control plane's jobs admin runtime (design/jobs-admin.md). */
export function jobsContract(): JobsContract {
  jobsContractModule ??= defineJobsContract();
  return jobsContractModule;
}
