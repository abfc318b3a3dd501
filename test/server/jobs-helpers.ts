import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { headers, type NatsConnection } from "@nats-io/nats-core";
import { ulid } from "ulid";
import {
  JOB_TRANSITIONS,
  jobEventSubject,
  jobsContract,
  workerHeartbeatSubject,
  type JobEvent,
  type JobEventType,
  type WorkerHeartbeat,
} from "../../src/contracts/index.ts";
import { connectWithCreds } from "../../src/server/index.ts";
import type { LocalStack } from "../support/local-stack.ts";

export const jobsRpc = () => jobsContract().API.owned.rpc;

/** A TRELLIS connection publishing lifecycle events as a service's worker would (jobs.md §5). */
export async function jobsPublisher(stack: LocalStack) {
  const nc = await connectWithCreds({
    servers: [stack.natsUrl],
    credsPath: stack.config.nats.trellisCreds,
    name: "test jobs",
  });
  const js = jetstream(nc);
  return { nc, js, close: () => nc.close() };
}

const context = {
  requestId: "01JREQUEST0000000000000000",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
};

/** The events of one job, as its service's runtime would publish them. */
export function jobOf(service: string, jobType: string, jobId: string = ulid()) {
  let tries = 0;
  const event = (eventType: JobEventType, extra: Partial<JobEvent> = {}): JobEvent => ({
    jobId,
    service,
    jobType,
    eventType,
    state: JOB_TRANSITIONS[eventType].to,
    context,
    tries,
    timestamp: new Date().toISOString(),
    ...extra,
  });
  return {
    id: jobId,
    service,
    jobType,
    created: (extra: Partial<JobEvent> = {}) =>
      event("created", { tries: 0, maxTries: 3, payload: { n: 1 }, ...extra }),
    started: () => event("started", { tries: ++tries, previousState: "pending" }),
    event,
  };
}

export async function publishEvent(js: JetStreamClient, event: JobEvent, msgId?: string): Promise<number> {
  const h = headers();
  h.set("request-id", event.context.requestId);
  h.set("traceparent", event.context.traceparent);
  const ack = await js.publish(
    jobEventSubject(event.service, event.jobType, event.jobId, event.eventType),
    JSON.stringify(event),
    {
      headers: h,
      ...(msgId === undefined ? {} : { msgID: msgId }),
    },
  );
  return ack.seq;
}

export async function publishHeartbeat(nc: NatsConnection, heartbeat: WorkerHeartbeat): Promise<void> {
  await jetstream(nc).publish(
    workerHeartbeatSubject(heartbeat.service, heartbeat.jobType, heartbeat.instanceId),
    JSON.stringify(heartbeat),
  );
}

/** Polls `probe` until it returns something other than undefined (the projection is eventually consistent). */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

/** A tail starts with what is stored after it opened: publish fresh probe heartbeats until `frames` has one. */
export async function tailIsLive(nc: NatsConnection, service: string, jobType: string, frames: readonly unknown[]) {
  let n = 0;
  await eventually(async () => {
    await publishHeartbeat(nc, { service, jobType, instanceId: `probe-${n++}`, timestamp: new Date().toISOString() });
    await Bun.sleep(50);
    return frames.length > 0 ? true : undefined;
  }, "the tail to be live");
}
