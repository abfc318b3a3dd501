import { Empty, type NatsConnection } from "@nats-io/nats-core";
import * as v from "valibot";
import {
  err,
  JobEventSchema,
  JOBS_STREAM,
  ok,
  TERMINAL_EVENTS,
  UnexpectedError,
  type JobEvent,
  type JobEventType,
  type JobState,
  type Result,
} from "../../contracts/index.ts";
import { readHeader } from "../wire/headers.ts";
import { decodeJson } from "../wire/json-body.ts";

/** A lifecycle event as stored in `JOBS`, with its stream sequence. */
export type StoredJobEvent = { readonly event: JobEvent; readonly sequence: number };

/** What the direct gets found: the last event per read type, and what they mean together. */
export type JobLifecycle = {
  readonly events: Partial<Record<JobEventType, StoredJobEvent>>;
  /** The terminal event that settles the job: the first terminal after the latest `retried` (§3 precedence). */
  readonly settled: StoredJobEvent | undefined;
  /** The job's state by these events; `undefined` when none are stored. */
  readonly state: JobState | undefined;
  /** The event that decided `state`. */
  readonly latest: StoredJobEvent | undefined;
};

/** `retried` and the six terminals decide whether a work item is settled (§8 step 3); the rest give `previousState`. */
const READ_EVENTS: readonly JobEventType[] = ["created", "started", "retry", "retried", ...TERMINAL_EVENTS];
const TERMINAL: ReadonlySet<JobEventType> = new Set(TERMINAL_EVENTS);

/**
 * Subject-form direct gets (`$JS.API.DIRECT.GET.JOBS.<subject>`, empty
 * body: the last message on that exact subject, 404 = none), in parallel,
 * one per event type of one job. Concrete subjects are what lets §14 grant
 * a service only its own job subjects.
 */
export async function readJobLifecycle(
  nc: NatsConnection,
  publishPrefix: string,
  jobId: string,
  timeoutMs: number,
): Promise<Result<JobLifecycle, UnexpectedError>> {
  const reads = await Promise.all(
    READ_EVENTS.map((type) => directGet(nc, `${publishPrefix}.${jobId}.${type}`, timeoutMs)),
  );
  const events: Partial<Record<JobEventType, StoredJobEvent>> = {};
  for (const [index, read] of reads.entries()) {
    if (read.isErr()) return err(read.error);
    if (read.value !== undefined) events[READ_EVENTS[index]!] = read.value;
  }
  return ok(summarize(events));
}

export function summarize(events: Partial<Record<JobEventType, StoredJobEvent>>): JobLifecycle {
  const since = events.retried?.sequence ?? 0;
  let settled: StoredJobEvent | undefined;
  let latest: StoredJobEvent | undefined;
  for (const [type, stored] of Object.entries(events) as [JobEventType, StoredJobEvent][]) {
    if (TERMINAL.has(type) && stored.sequence > since) {
      if (settled === undefined || stored.sequence < settled.sequence) settled = stored;
    } else if (!TERMINAL.has(type) && (latest === undefined || stored.sequence > latest.sequence)) {
      latest = stored;
    }
  }
  const decided = settled ?? latest;
  return { events, settled, state: decided?.event.state, latest: decided };
}

async function directGet(
  nc: NatsConnection,
  subject: string,
  timeoutMs: number,
): Promise<Result<StoredJobEvent | undefined, UnexpectedError>> {
  let reply;
  try {
    reply = await nc.request(`$JS.API.DIRECT.GET.${JOBS_STREAM}.${subject}`, Empty, { timeout: timeoutMs });
  } catch (cause) {
    return err(UnexpectedError.from(cause, { context: { reason: "direct get failed", subject } }));
  }
  const code = reply.headers?.code ?? 0;
  if (code === 404) return ok(undefined);
  if (code !== 0 && code !== 200) {
    return err(
      new UnexpectedError({
        context: { reason: "direct get refused", subject, code, description: reply.headers?.description },
      }),
    );
  }
  const sequence = Number(readHeader(reply.headers, "Nats-Sequence"));
  const body = decodeJson(reply.data);
  const parsed = body.isOk() ? v.safeParse(JobEventSchema, body.value) : undefined;
  // Someone else's bytes on one of our subjects are not a lifecycle event: treated as absent.
  if (parsed === undefined || !parsed.success || !Number.isSafeInteger(sequence)) return ok(undefined);
  return ok({ event: parsed.output, sequence });
}
