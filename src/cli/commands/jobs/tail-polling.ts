import { EXECUTION_TERMINAL, jobsContract, ok, err, type Job, type Result } from "../../../contracts/index.ts";
import type { RpcClient } from "../../../runtime/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { ExitCode, type ExitStatus } from "../../app/exit-codes.ts";
import { writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { fetchAllJobs, type JobFilter } from "./jobs-pages.ts";

export const POLL_INTERVAL_MS = 2000;

type PollOptions = {
  /** Follow this job only (`Jobs.Get`), else every job matching `filter` (`Jobs.List`). */
  id?: string;
  exitOnSettle: boolean;
  json: boolean;
  signal: AbortSignal;
  intervalMs?: number;
};

/**
 * `jobs tail` without `trellis.jobs::admin.stream` (tooling.md §3.3): polls
 * every 2 s and prints each job whose `updatedAt` moved, marked
 * `(polling)`. It sees states, not every event in between.
 */
export async function pollJobs(
  client: RpcClient,
  filter: JobFilter,
  options: PollOptions,
): Promise<Result<ExitStatus, CliFailure>> {
  const seen = new Map<string, string>();
  let since = filter.since ?? new Date().toISOString();
  while (!options.signal.aborted) {
    const jobs =
      options.id === undefined ? await fetchAllJobs(client, { ...filter, since }) : await getOne(client, options.id);
    if (jobs.isErr()) return options.signal.aborted ? ok(ExitCode.ok) : err(jobs.error);
    for (const job of [...jobs.value].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1))) {
      if (seen.get(job.id) === job.updatedAt) continue;
      seen.set(job.id, job.updatedAt);
      if (job.updatedAt > since) since = job.updatedAt;
      writeResult(options.json ? JSON.stringify({ polling: true, job }) : renderPolled(job));
      if (options.exitOnSettle && job.id === options.id && EXECUTION_TERMINAL.has(job.state)) {
        return ok(job.state === "completed" ? ExitCode.ok : ExitCode.notCompleted);
      }
    }
    await pause(options.intervalMs ?? POLL_INTERVAL_MS, options.signal);
  }
  return ok(ExitCode.ok);
}

async function getOne(client: RpcClient, id: string): Promise<Result<Job[], CliFailure>> {
  const got = await client.call(jobsContract().API.owned.rpc["Jobs.Get"], { id });
  return got.isErr() ? err(callFailure(got.error)) : ok([got.value.job]);
}

function renderPolled(job: Job): string {
  const cells = [
    job.updatedAt,
    `${job.service}/${job.type}`,
    job.id,
    `state=${job.state}`,
    `tries=${job.tries}/${job.maxTries}`,
  ];
  if (job.lastError !== undefined) cells.push(`error=${JSON.stringify(job.lastError)}`);
  cells.push("(polling)");
  return cells.join("  ");
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
