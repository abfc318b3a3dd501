import * as v from "valibot";

/**
 * The jobs wire model (jobs.md §3, §5, §13): lifecycle events, the projected
 * job, worker heartbeats. Shared by the service-side runtime (which
 * publishes events), the jobs admin runtime (which projects and serves them)
 * and `trellis.jobs@v1`.
 */

export const JOB_STATES = [
  "pending",
  "active",
  "retry",
  "completed",
  "failed",
  "cancelled",
  "expired",
  "dead",
  "dismissed",
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Every state but the first three ends execution; only `failed` and `dead` can be left (by an admin). */
export const EXECUTION_TERMINAL: ReadonlySet<JobState> = new Set([
  "completed",
  "failed",
  "cancelled",
  "expired",
  "dead",
  "dismissed",
]);

export const JOB_EVENT_TYPES = [
  "created",
  "started",
  "retry",
  "progress",
  "logged",
  "completed",
  "failed",
  "cancelled",
  "expired",
  "retried",
  "dead",
  "dismissed",
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** Events that end a job's execution; the first of them in `JOBS` order wins (§3 terminal precedence). */
export const TERMINAL_EVENTS = ["completed", "failed", "cancelled", "expired", "dead", "dismissed"] as const;

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const timestamp = v.pipe(v.string(), v.isoTimestamp());

export const JobStateSchema = v.picklist(JOB_STATES);
export const JobEventTypeSchema = v.picklist(JOB_EVENT_TYPES);

export const JobContextSchema = v.object({
  requestId: v.string(),
  traceId: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  traceparent: v.string(),
  tracestate: v.optional(v.string()),
});
export type JobContext = v.InferOutput<typeof JobContextSchema>;

export const JobProgressSchema = v.object({
  step: v.optional(v.string()),
  message: v.optional(v.string()),
  current: v.optional(count),
  total: v.optional(count),
});
export type JobProgress = v.InferOutput<typeof JobProgressSchema>;

export const JobLogEntrySchema = v.object({
  timestamp,
  level: v.picklist(["info", "warn", "error"]),
  message: v.string(),
});
export type JobLogEntry = v.InferOutput<typeof JobLogEntrySchema>;

/** One lifecycle event on `trellis.jobs.<service>.<job-type>.<job-id>.<event>`. */
export const JobEventSchema = v.object({
  jobId: v.string(),
  service: v.string(),
  jobType: v.string(),
  eventType: JobEventTypeSchema,
  state: JobStateSchema,
  previousState: v.optional(JobStateSchema),
  context: JobContextSchema,
  tries: count,
  maxTries: v.optional(count),
  error: v.optional(v.string()),
  progress: v.optional(JobProgressSchema),
  logs: v.optional(v.array(JobLogEntrySchema)),
  payload: v.optional(v.unknown()),
  result: v.optional(v.unknown()),
  deadline: v.optional(timestamp),
  timestamp,
});
export type JobEvent = v.InferOutput<typeof JobEventSchema>;

/** The projected job: the admin database row and the admin wire shape. */
export const JobSchema = v.object({
  id: v.string(),
  service: v.string(),
  type: v.string(),
  state: JobStateSchema,
  context: JobContextSchema,
  payload: v.unknown(),
  result: v.optional(v.unknown()),
  createdAt: timestamp,
  updatedAt: timestamp,
  startedAt: v.optional(timestamp),
  completedAt: v.optional(timestamp),
  tries: count,
  maxTries: count,
  lastError: v.optional(v.string()),
  deadline: v.optional(timestamp),
  progress: v.optional(JobProgressSchema),
  logs: v.optional(v.array(JobLogEntrySchema)),
});
export type Job = v.InferOutput<typeof JobSchema>;

/** Published per queue at startup and every 30 s on `trellis.jobs.workers.<service>.<job-type>.<instance>.heartbeat`. */
export const WorkerHeartbeatSchema = v.object({
  service: v.string(),
  jobType: v.string(),
  instanceId: v.string(),
  concurrency: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  version: v.optional(v.string()),
  timestamp,
});
export type WorkerHeartbeat = v.InferOutput<typeof WorkerHeartbeatSchema>;
