import {
  AuthError,
  err,
  EXECUTION_TERMINAL,
  jobsContract,
  ok,
  type JobEvent,
  type JobEventType,
  type TrellisError,
} from "../../../contracts/index.ts";
import { FeedClient } from "../../../runtime/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { openCliSession } from "../../session/open-session.ts";
import { fetchAllJobs, type JobFilter } from "./jobs-pages.ts";
import { parseEvents, parseSince, parseToken } from "./jobs-options.ts";
import { renderJobs, renderTailFrame } from "./jobs-render.ts";
import { pollJobs } from "./tail-polling.ts";

/**
 * `trellis jobs tail` (tooling.md §3.3): the `Jobs.Tail` feed, one line per
 * event (`--json`: one JSON line per frame), until SIGINT/SIGTERM (exit 0).
 * Following one job (`<id>` or `--id`) it exits when the job settles: 0 if
 * completed, 7 otherwise, unless `--no-exit`. `--since` first prints the
 * matching `Jobs.List` rows; a session without `admin.stream` polls instead
 * (tail-polling.ts).
 */
export default trellisCommand({
  name: "tail",
  description: "Follow job events live (the Jobs.Tail feed; needs trellis.jobs::admin.stream)",
  args: {
    job: { type: "positional", description: "Follow this job only (same as --id)", required: false },
    id: { type: "string", description: "Follow this job only" },
    service: { type: "string", description: "Only this service" },
    type: { type: "string", description: "Only this job type" },
    events: { type: "string", description: "Only these events (comma-separated or repeated; also --event)" },
    since: { type: "string", description: "First print the jobs updated since: RFC 3339, or 15m / 2h / 7d ago" },
    workers: { type: "boolean", description: "Worker heartbeats too" },
    "no-exit": { type: "boolean", description: "With an id: keep following after the job settles" },
    json: { type: "boolean", description: "Print one JSON line per frame" },
  },
  run: async (args, { rawArgs }) => {
    const id = parseToken("id", args.id ?? args.job);
    if (id.isErr()) return err(id.error);
    const service = parseToken("service", args.service);
    if (service.isErr()) return err(service.error);
    const type = parseToken("type", args.type);
    if (type.isErr()) return err(type.error);
    const events = parseEvents(rawArgs);
    if (events.isErr()) return err(events.error);
    const since = parseSince(args.since);
    if (since.isErr()) return err(since.error);
    const input: TailInput = {};
    if (id.value !== undefined) input.id = id.value;
    if (service.value !== undefined) input.service = service.value;
    if (type.value !== undefined) input.type = type.value;
    if (events.value !== undefined) input.events = events.value;
    if (args.workers === true) input.workers = true;
    const followed = id.value;
    const exitOnSettle = followed !== undefined && args["no-exit"] !== true;

    const session = await openCliSession({ patience: "long-running" });
    if (session.isErr()) return err(session.error);
    const { nc, keys, client } = session.value;
    const filter: JobFilter = {};
    if (service.value !== undefined) filter.service = service.value;
    if (type.value !== undefined) filter.type = type.value;
    const stopped = new AbortController();
    const stop = () => stopped.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      if (since.value !== undefined) {
        const history = await fetchAllJobs(client, { ...filter, since: since.value });
        if (history.isErr()) return err(history.error);
        const rows = history.value.filter((job) => followed === undefined || job.id === followed).reverse();
        if (args.json) for (const job of rows) writeResult(JSON.stringify({ history: true, job }));
        else if (rows.length > 0) writeResult(renderJobs(rows));
        // The followed job settled before the tail began: nothing more will come for it.
        const settled = rows.find((job) => job.id === followed && EXECUTION_TERMINAL.has(job.state));
        if (exitOnSettle && settled !== undefined) {
          return ok(settled.state === "completed" ? ExitCode.ok : ExitCode.notCompleted);
        }
      }
      const feed = await new FeedClient(nc, { keys, timeoutMs: 10_000 }).open(
        jobsContract().API.owned.feeds["Jobs.Tail"],
        input,
        {
          signal: stopped.signal,
        },
      );
      if (feed.isErr() && deniedFeed(feed.error) && !stopped.signal.aborted) {
        process.stderr.write(
          "(polling) this session may not stream jobs (trellis.jobs::admin.stream): polling every 2 s\n",
        );
        return pollJobs(client, since.value === undefined ? filter : { ...filter, since: since.value }, {
          ...(followed === undefined ? {} : { id: followed }),
          exitOnSettle,
          json: args.json === true,
          signal: stopped.signal,
        });
      }
      if (feed.isErr()) return stopped.signal.aborted ? ok(ExitCode.ok) : err(callFailure(feed.error));
      stopped.signal.addEventListener("abort", () => feed.value.close(), { once: true });
      try {
        for await (const frame of feed.value) {
          writeResult(args.json ? JSON.stringify(frame) : renderTailFrame(frame));
          if (exitOnSettle && "eventType" in frame && frame.jobId === followed && settles(frame)) {
            return ok(frame.eventType === "completed" ? ExitCode.ok : ExitCode.notCompleted);
          }
        }
      } catch (error) {
        // A later error frame, or the connection going away (runtime-wire.md §4.7).
        if (!stopped.signal.aborted) return err(callFailure(error as never));
      }
      return ok(ExitCode.ok);
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      await session.value.close();
    }
  },
});

type TailInput = { id?: string; service?: string; type?: string; events?: JobEventType[]; workers?: boolean };

/** Execution ends with these (`failed` and `dead` may be retried later, but the watched run is over). */
const settles = (event: JobEvent): boolean => EXECUTION_TERMINAL.has(event.state) && event.eventType !== "retried";

/** The feed's handshake was refused by the admin runtime's capability check (the cause is an AuthError). */
const deniedFeed = (error: TrellisError): boolean => error.cause instanceof AuthError;
