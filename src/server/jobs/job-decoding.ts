import * as v from "valibot";
import {
  err,
  JobEventSchema,
  ok,
  WorkerHeartbeatSchema,
  type JobEvent,
  type Result,
  type WorkerHeartbeat,
} from "../../contracts/index.ts";

/**
 * `JOBS` messages as the admin runtime trusts them: the body must parse and
 * name exactly what its subject names. The subject is what NATS permissions
 * bound to the publisher (jobs.md §14), so a body claiming another service,
 * job or event is refused rather than projected.
 */
export function decodeJobEvent(subject: string, data: Uint8Array): Result<JobEvent, string> {
  const tokens = subject.split(".");
  if (tokens.length !== 6 || tokens[0] !== "trellis" || tokens[1] !== "jobs") return err(`not a lifecycle subject`);
  const body = parseJson(data);
  if (body.isErr()) return err(body.error);
  const parsed = v.safeParse(JobEventSchema, body.value);
  if (!parsed.success) return err(`not a JobEvent: ${v.summarize(parsed.issues)}`);
  const event = parsed.output;
  const [, , service, jobType, jobId, eventType] = tokens;
  if (
    event.service !== service ||
    event.jobType !== jobType ||
    event.jobId !== jobId ||
    event.eventType !== eventType
  ) {
    return err(`body names ${event.service}.${event.jobType}.${event.jobId}.${event.eventType}, not the subject`);
  }
  return ok(event);
}

/** `trellis.jobs.workers.<service>.<job-type>.<instance-id>.heartbeat` carrying the matching WorkerHeartbeat. */
export function decodeHeartbeat(subject: string, data: Uint8Array): Result<WorkerHeartbeat, string> {
  const tokens = subject.split(".");
  if (tokens.length !== 7 || tokens[2] !== "workers" || tokens[6] !== "heartbeat")
    return err("not a heartbeat subject");
  const body = parseJson(data);
  if (body.isErr()) return err(body.error);
  const parsed = v.safeParse(WorkerHeartbeatSchema, body.value);
  if (!parsed.success) return err(`not a WorkerHeartbeat: ${v.summarize(parsed.issues)}`);
  const heartbeat = parsed.output;
  const [, , , service, jobType, instanceId] = tokens;
  if (heartbeat.service !== service || heartbeat.jobType !== jobType || heartbeat.instanceId !== instanceId) {
    return err("heartbeat body does not match its subject");
  }
  return ok(heartbeat);
}

function parseJson(data: Uint8Array): Result<unknown, string> {
  try {
    return ok(JSON.parse(new TextDecoder().decode(data)));
  } catch {
    return err("body is not JSON");
  }
}
