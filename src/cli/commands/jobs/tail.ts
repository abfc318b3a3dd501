import {
  err,
  EXECUTION_TERMINAL,
  jobsContract,
  ok,
  type JobEvent,
  type JobEventType,
} from "../../../contracts/index.ts";
import { FeedClient } from "../../../runtime/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { openCliSession } from "../../session/open-session.ts";
import { parseEvents, parseToken } from "./jobs-options.ts";
import { renderTailFrame } from "./jobs-render.ts";

/**
 * `trellis jobs tail` (tooling.md §3.3): the `Jobs.Tail` feed, one line per
 * event (`--json`: one JSON line per frame), until SIGINT/SIGTERM (exit 0).
 * Following one job (`<id>` or `--id`) it exits when the job settles: 0 if
 * completed, 7 otherwise, unless `--no-exit`.
 */
export default trellisCommand({
  name: "tail",
  description: "Follow job events live (the Jobs.Tail feed; needs trellis.jobs::admin.stream)",
  args: {
    job: { type: "positional", description: "Follow this job only (same as --id)", required: false },
    id: { type: "string", description: "Follow this job only" },
    service: { type: "string", description: "Only this service" },
    type: { type: "string", description: "Only this job type" },
    events: { type: "string", description: "Only these events (comma-separated or repeated)" },
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
    const { nc, keys } = session.value;
    const stopped = new AbortController();
    const stop = () => stopped.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      const feed = await new FeedClient(nc, { keys, timeoutMs: 10_000 }).open(
        jobsContract().API.owned.feeds["Jobs.Tail"],
        input,
        {
          signal: stopped.signal,
        },
      );
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
