import { err, ok, type Job, type Result } from "../../../contracts/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { trellisCommand, type CommandOutcome } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { withSession } from "../svc/with-session.ts";
import { fetchJobPage, type JobFilter, type JobPage } from "./jobs-pages.ts";
import { parseLimit, parseOffset, parseSince, parseStates, parseToken } from "./jobs-options.ts";
import { renderJobs } from "./jobs-render.ts";

export const listArgs = {
  service: { type: "string", description: "Only this service's jobs" },
  type: { type: "string", description: "Only this job type" },
  since: { type: "string", description: "Updated at or after: RFC 3339, or 15m / 2h / 7d ago" },
  limit: { type: "string", description: "Page size, 1-1000 (default 50)" },
  offset: { type: "string", description: "Skip this many matches (default 0)" },
  all: { type: "boolean", description: "Follow nextOffset to the last page" },
  json: { type: "boolean", description: "Print JSON (the Page; with --all, every entry in one page)" },
} as const;

type ListFlags = {
  service?: string;
  type?: string;
  since?: string;
  limit?: string;
  offset?: string;
  all?: boolean;
  json?: boolean;
};

type ListQuery = {
  filter: JobFilter;
  offset: number;
  limit: number;
};

function parseListFlags(args: ListFlags, rawArgs: readonly string[], dlq: boolean): Result<ListQuery, CliFailure> {
  const service = parseToken("service", args.service);
  if (service.isErr()) return err(service.error);
  const type = parseToken("type", args.type);
  if (type.isErr()) return err(type.error);
  const states = dlq ? ok(undefined) : parseStates(rawArgs);
  if (states.isErr()) return err(states.error);
  const since = parseSince(args.since);
  if (since.isErr()) return err(since.error);
  const limit = parseLimit(args.limit);
  if (limit.isErr()) return err(limit.error);
  const offset = parseOffset(args.offset);
  if (offset.isErr()) return err(offset.error);
  const filter: ListQuery["filter"] = {};
  if (service.value !== undefined) filter.service = service.value;
  if (type.value !== undefined) filter.type = type.value;
  if (since.value !== undefined) filter.since = since.value;
  if (states.value !== undefined) filter.state = states.value;
  return ok({ filter, offset: offset.value, limit: limit.value });
}

/** `jobs list` and `jobs dlq list` (tooling.md §3.3): one page, or every page with `--all`. */
export async function runList(args: ListFlags, rawArgs: readonly string[], dlq: boolean): Promise<CommandOutcome> {
  const query = parseListFlags(args, rawArgs, dlq);
  if (query.isErr()) return err(query.error);
  const { filter, offset, limit } = query.value;
  return withSession(async ({ client }) => {
    const fetchPage = (at: number) => fetchJobPage(client, filter, { offset: at, limit }, dlq);
    const entries: Job[] = [];
    let next: number | undefined = offset;
    let last: JobPage = { entries: [], count: 0 };
    do {
      const page = await fetchPage(next);
      if (page.isErr()) return err(page.error);
      entries.push(...page.value.entries);
      last = page.value;
      next = page.value.nextOffset;
    } while (args.all === true && next !== undefined);
    const count = last.count;
    if (args.json)
      writeJson({
        entries,
        count,
        offset,
        limit,
        ...(last.nextOffset === undefined ? {} : { nextOffset: last.nextOffset }),
      });
    else writeResult(renderJobs(entries));
    return ok(ExitCode.ok);
  });
}

export default trellisCommand({
  name: "list",
  description: "List jobs, newest first (Jobs.List; needs trellis.jobs::admin.read)",
  args: { ...listArgs, state: { type: "string", description: "Only these states (comma-separated or repeated)" } },
  run: (args, { rawArgs }) => runList(args, rawArgs, false),
});
