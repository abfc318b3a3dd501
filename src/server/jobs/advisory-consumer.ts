import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import * as v from "valibot";
import {
  EXECUTION_TERMINAL,
  JOBS_ADVISORIES_STREAM,
  JOBS_WORK_STREAM,
  MAX_DELIVERIES_ADVISORY_FILTER,
} from "../../contracts/index.ts";
import type { JobEventPublisher, Logger } from "../../runtime/index.ts";
import { DurableLoop, type Verdict } from "./durable-loop.ts";
import { decodeJobEvent } from "./job-decoding.ts";
import { adminEvent, type JobIdentity } from "./job-publisher.ts";
import type { JobRows } from "./job-rows.ts";

export const ADVISORY_DURABLE = "jobs-advisories";

const MaxDeliverAdvisory = v.object({
  type: v.literal("io.nats.jetstream.advisory.v1.max_deliver"),
  stream: v.string(),
  consumer: v.string(),
  stream_seq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  deliveries: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
});

/**
 * The advisory consumer (jobs.md §10): a work item that exhausted
 * `max_deliver` makes its job `dead`, unless the job is terminal already,
 * and its work message is deleted (work-queue streams keep such messages).
 * The advisory is acked only after the `dead` PubAck, so advisories wait in
 * `JOBS_ADVISORIES` while this runtime is down or NATS refuses the publish.
 */
export function advisoryLoop(
  nc: NatsConnection,
  deps: { rows: JobRows; publisher: JobEventPublisher; clock?: () => Date },
  logger: Logger,
): DurableLoop {
  const log = logger.child({ loop: "advisories" });
  const clock = deps.clock ?? (() => new Date());
  const handle = async (data: Uint8Array): Promise<Verdict> => {
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(data));
    } catch {
      body = undefined;
    }
    const parsed = v.safeParse(MaxDeliverAdvisory, body);
    if (!parsed.success || parsed.output.stream !== JOBS_WORK_STREAM) {
      log.warn({ reason: parsed.success ? "not JOBS_WORK" : v.summarize(parsed.issues) }, "advisory ignored");
      return { ack: true };
    }
    const advisory = parsed.output;
    const jsm = await jetstreamManager(nc);
    const stored = await jsm.streams.getMessage(JOBS_WORK_STREAM, { seq: advisory.stream_seq }).catch(() => null);
    if (stored === null) {
      log.warn({ seq: advisory.stream_seq }, "the work message of an advisory is gone; nothing to settle");
      return { ack: true };
    }
    // The work body is the sourced created/retried event; decode it against its original lifecycle subject.
    const work = decodeWorkItem(stored.subject, stored.data);
    if (work === undefined) {
      log.warn({ seq: advisory.stream_seq, subject: stored.subject }, "unusable work message; advisory dropped");
      return { ack: true };
    }
    const row = deps.rows.get(work.id);
    if (row !== undefined && EXECUTION_TERMINAL.has(row.state)) {
      log.info({ jobId: work.id, state: row.state }, "max deliveries reached by a terminal job; no dead event");
    } else {
      const job: JobIdentity = row ?? work;
      const event = adminEvent(
        job,
        "dead",
        {
          tries: Math.max(row?.tries ?? 0, advisory.deliveries),
          error: `max deliveries exceeded: stream=${advisory.stream} consumer=${advisory.consumer} deliveries=${advisory.deliveries}`,
        },
        clock(),
      );
      // One `dead` per work message, even if this advisory is handled twice.
      const published = await deps.publisher.publish(event, `${work.id}.dead.${advisory.stream_seq}`);
      if (published.isErr()) {
        log.warn({ jobId: work.id, error: published.error.message }, "dead event not stored; advisory kept");
        return { ack: false, delayMs: 2000 };
      }
      log.info({ jobId: work.id, service: job.service, type: job.type }, "job is dead (max deliveries)");
    }
    await jsm.streams.deleteMessage(JOBS_WORK_STREAM, advisory.stream_seq, false).catch(() => false);
    return { ack: true };
  };
  return new DurableLoop(
    nc,
    { stream: JOBS_ADVISORIES_STREAM, durable: ADVISORY_DURABLE, filter: MAX_DELIVERIES_ADVISORY_FILTER },
    (msg) => handle(msg.data),
    log,
  );
}

/** A work item is the `created`/`retried` event, stored under `trellis.work.<service>.<job-type>`. */
function decodeWorkItem(subject: string, data: Uint8Array): JobIdentity | undefined {
  const tokens = subject.split(".");
  if (tokens.length !== 4 || tokens[0] !== "trellis" || tokens[1] !== "work") return undefined;
  let eventType: unknown;
  let jobId: unknown;
  try {
    ({ eventType, jobId } = JSON.parse(new TextDecoder().decode(data)) as { eventType?: unknown; jobId?: unknown });
  } catch {
    return undefined;
  }
  if ((eventType !== "created" && eventType !== "retried") || typeof jobId !== "string") return undefined;
  const lifecycle = `trellis.jobs.${tokens[2]}.${tokens[3]}.${jobId}.${eventType}`;
  const event = decodeJobEvent(lifecycle, data);
  if (event.isErr()) return undefined;
  return {
    id: event.value.jobId,
    service: event.value.service,
    type: event.value.jobType,
    state: "pending",
    context: event.value.context,
  };
}
