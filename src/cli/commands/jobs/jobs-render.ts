import type { Job, JobEvent, WorkerHeartbeat } from "../../../contracts/index.ts";
import { renderTable } from "../../app/output.ts";

/** Text shapes of `trellis jobs ...` (tooling.md §3.3, §4): borderless tables, `key: value` records. */

const detail = (job: Job): string =>
  job.lastError ??
  job.progress?.message ??
  job.progress?.step ??
  (job.progress?.current !== undefined ? `${job.progress.current}/${job.progress.total ?? "?"}` : "");

export function renderJobs(jobs: readonly Job[]): string {
  return renderTable(
    ["ID", "SERVICE", "TYPE", "STATE", "TRIES", "UPDATED", "DETAIL"],
    jobs.map((job) => [
      job.id,
      job.service,
      job.type,
      job.state,
      `${job.tries}/${job.maxTries}`,
      job.updatedAt,
      detail(job),
    ]),
  );
}

export function renderJob(job: Job): string {
  const lines: [string, string | undefined][] = [
    ["id", job.id],
    ["service", job.service],
    ["type", job.type],
    ["state", job.state],
    ["tries", `${job.tries}/${job.maxTries}`],
    ["created", job.createdAt],
    ["updated", job.updatedAt],
    ["started", job.startedAt],
    ["completed", job.completedAt],
    ["deadline", job.deadline],
    ["error", job.lastError],
    ["progress", job.progress === undefined ? undefined : JSON.stringify(job.progress)],
    ["request id", job.context.requestId],
    ["trace id", job.context.traceId],
    ["payload", JSON.stringify(job.payload)],
    ["result", job.result === undefined ? undefined : JSON.stringify(job.result)],
  ];
  const out = lines
    .filter((line): line is [string, string] => line[1] !== undefined)
    .map(([key, value]) => `${key}: ${value}`);
  for (const entry of job.logs ?? []) out.push(`log: ${entry.timestamp} ${entry.level} ${entry.message}`);
  return out.join("\n");
}

/** One tail line: time, service/type, id, event, state, tries, error. */
export function renderTailFrame(frame: JobEvent | WorkerHeartbeat): string {
  if ("eventType" in frame) {
    const cells = [
      frame.timestamp,
      `${frame.service}/${frame.jobType}`,
      frame.jobId,
      frame.eventType,
      `state=${frame.state}`,
      `tries=${frame.tries}`,
    ];
    if (frame.error !== undefined) cells.push(`error=${JSON.stringify(frame.error)}`);
    return cells.join("  ");
  }
  const cells = [frame.timestamp, `${frame.service}/${frame.jobType}`, frame.instanceId, "heartbeat"];
  if (frame.concurrency !== undefined) cells.push(`concurrency=${frame.concurrency}`);
  if (frame.version !== undefined) cells.push(`version=${frame.version}`);
  return cells.join("  ");
}
