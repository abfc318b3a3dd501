import {
  err,
  JOB_NAME_TOKEN,
  jobConsumerName,
  jobsPublishPrefix,
  jobWorkSubject,
  JOBS_WORK_STREAM,
  ok,
  RESERVED_JOBS_SERVICE,
  RUNTIME_DEFAULTS,
  ValidationError,
  type JobQueue as JobQueueDeclaration,
  type Result,
} from "../../contracts/index.ts";

/** A queue's §6 settings with the runtime defaults applied. */
export type JobQueueSettings = {
  maxDeliver: number;
  backoffMs: number[];
  ackWaitMs: number;
  defaultDeadlineMs?: number;
  progress: boolean;
  logs: boolean;
  dlq: boolean;
  concurrency: number;
};

/**
 * What the control plane hands a service for one job queue (jobs.md §2):
 * `publishPrefix`, `workSubject`, `consumerName`, `workStream` and the
 * settings, plus the namespace token and queue they were made from.
 */
export type JobQueueBinding = {
  /** The service's jobs namespace token (`<service>`), bound to its identity. */
  service: string;
  jobType: string;
  publishPrefix: string;
  workSubject: string;
  consumerName: string;
  workStream: string;
  settings: JobQueueSettings;
};

function tokenIssues(service: string, jobType: string): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (!JOB_NAME_TOKEN.test(service)) issues.push({ path: "/service", message: "must match ^[A-Za-z0-9_-]+$" });
  if (service === RESERVED_JOBS_SERVICE) {
    issues.push({ path: "/service", message: `'${RESERVED_JOBS_SERVICE}' is reserved for worker heartbeats` });
  }
  if (!JOB_NAME_TOKEN.test(jobType)) issues.push({ path: `/jobs/${jobType}`, message: "must match ^[A-Za-z0-9_-]+$" });
  return issues;
}

/** The binding of a declared queue (for the control plane at approval): names from §2, defaults from §6. */
export function jobQueueBinding(
  service: string,
  jobType: string,
  declaration: Omit<JobQueueDeclaration, "payload" | "result" | "docs">,
): Result<JobQueueBinding, ValidationError> {
  const issues = tokenIssues(service, jobType);
  if (issues.length > 0) return err(new ValidationError(issues));
  const d = RUNTIME_DEFAULTS.job;
  const settings: JobQueueSettings = {
    maxDeliver: declaration.maxDeliver ?? d.maxDeliver,
    backoffMs: [...(declaration.backoffMs ?? d.backoffMs)],
    ackWaitMs: declaration.ackWaitMs ?? d.ackWaitMs,
    progress: declaration.progress ?? d.progress,
    logs: declaration.logs ?? d.logs,
    dlq: declaration.dlq ?? d.dlq,
    concurrency: declaration.concurrency ?? d.concurrency,
  };
  if (declaration.defaultDeadlineMs !== undefined) settings.defaultDeadlineMs = declaration.defaultDeadlineMs;
  return ok({
    service,
    jobType,
    publishPrefix: jobsPublishPrefix(service, jobType),
    workSubject: jobWorkSubject(service, jobType),
    consumerName: jobConsumerName(service, jobType),
    workStream: JOBS_WORK_STREAM,
    settings,
  });
}

/**
 * Worker startup step 1 (§8): the binding names this queue and nothing
 * else (a binding for another namespace would publish where the grants do
 * not reach), and the settings are usable.
 */
export function checkJobBinding(queue: string, binding: JobQueueBinding): Result<JobQueueBinding, ValidationError> {
  const at = `/bindings/jobs/${queue}`;
  const issues = tokenIssues(binding.service, binding.jobType).map((issue) => ({ ...issue, path: at + issue.path }));
  const expect = (field: string, actual: string, wanted: string) => {
    if (actual !== wanted) issues.push({ path: `${at}/${field}`, message: `must be ${wanted}, got ${actual}` });
  };
  expect("jobType", binding.jobType, queue);
  expect("publishPrefix", binding.publishPrefix, jobsPublishPrefix(binding.service, queue));
  expect("workSubject", binding.workSubject, jobWorkSubject(binding.service, queue));
  expect("consumerName", binding.consumerName, jobConsumerName(binding.service, queue));
  expect("workStream", binding.workStream, JOBS_WORK_STREAM);
  const { concurrency, maxDeliver, ackWaitMs, backoffMs } = binding.settings;
  const positive = (field: string, value: number) => {
    if (!Number.isSafeInteger(value) || value < 1) {
      issues.push({ path: `${at}/settings/${field}`, message: "must be an integer ≥ 1" });
    }
  };
  positive("concurrency", concurrency);
  positive("maxDeliver", maxDeliver);
  positive("ackWaitMs", ackWaitMs);
  if (backoffMs.some((step) => !Number.isSafeInteger(step) || step < 0)) {
    issues.push({ path: `${at}/settings/backoffMs`, message: "every step must be an integer ≥ 0" });
  }
  return issues.length > 0 ? err(new ValidationError(issues)) : ok(binding);
}

/** §6: delivery `d` (1-based) is NAKed with `backoffMs[min(d − 1, len − 1)]`. */
export function backoffDelayMs(settings: Pick<JobQueueSettings, "backoffMs">, delivery: number): number {
  const steps = settings.backoffMs;
  return steps.length === 0 ? 0 : steps[Math.min(Math.max(delivery, 1) - 1, steps.length - 1)]!;
}
