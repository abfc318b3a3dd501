import type { JobEventType } from "./job-wire.ts";

/**
 * Names and subjects of jobs (jobs.md §2, §4, §5). `<service>` is the
 * service's jobs namespace token, bound to its authenticated identity;
 * `workers` is reserved for heartbeats.
 */

export const JOBS_STREAM = "JOBS";
export const JOBS_WORK_STREAM = "JOBS_WORK";
export const JOBS_ADVISORIES_STREAM = "JOBS_ADVISORIES";

export const JOB_NAME_TOKEN = /^[A-Za-z0-9_-]+$/;
export const RESERVED_JOBS_SERVICE = "workers";

/** `trellis.jobs.<service>.<job-type>`: what every lifecycle subject of a queue starts with. */
export const jobsPublishPrefix = (service: string, jobType: string): string => `trellis.jobs.${service}.${jobType}`;

export const jobEventSubject = (service: string, jobType: string, jobId: string, event: JobEventType): string =>
  `${jobsPublishPrefix(service, jobType)}.${jobId}.${event}`;

/** Where the work stream's sourced items land; never published directly. */
export const jobWorkSubject = (service: string, jobType: string): string => `trellis.work.${service}.${jobType}`;

export const jobConsumerName = (service: string, jobType: string): string => `${service}-${jobType}`;

export const workerHeartbeatSubject = (service: string, jobType: string, instanceId: string): string =>
  `trellis.jobs.workers.${service}.${jobType}.${instanceId}.heartbeat`;

/** Lifecycle subjects have six tokens, heartbeats seven: this filter matches lifecycle events only. */
export const JOB_LIFECYCLE_FILTER = "trellis.jobs.*.*.*.*";
export const WORKER_HEARTBEAT_FILTER = "trellis.jobs.workers.>";
export const MAX_DELIVERIES_ADVISORY_FILTER = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>";
