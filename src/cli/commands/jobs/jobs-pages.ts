import { err, jobsContract, ok, type Job, type JobState, type Result } from "../../../contracts/index.ts";
import type { RpcClient } from "../../../runtime/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { callFailure } from "../../session/call-failure.ts";

export type JobFilter = { service?: string; type?: string; since?: string; state?: JobState[] };
export type JobPage = { entries: Job[]; count: number; nextOffset?: number };

/** One page of `Jobs.List`, or of `Jobs.ListDLQ` (which takes no `state`). */
export async function fetchJobPage(
  client: RpcClient,
  filter: JobFilter,
  page: { offset: number; limit: number },
  dlq = false,
): Promise<Result<JobPage, CliFailure>> {
  const rpc = jobsContract().API.owned.rpc;
  const { state, ...rest } = filter;
  const input = { ...rest, ...page };
  const listed = dlq
    ? await client.call(rpc["Jobs.ListDLQ"], input)
    : await client.call(rpc["Jobs.List"], state === undefined ? input : { ...input, state });
  return listed.isErr() ? err(callFailure(listed.error)) : ok(listed.value);
}

/** Every matching job, following `nextOffset` (pages of `limit`). */
export async function fetchAllJobs(
  client: RpcClient,
  filter: JobFilter,
  limit = 200,
): Promise<Result<Job[], CliFailure>> {
  const jobs: Job[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const page = await fetchJobPage(client, filter, { offset, limit });
    if (page.isErr()) return err(page.error);
    jobs.push(...page.value.entries);
    offset = page.value.nextOffset;
  }
  return ok(jobs);
}
