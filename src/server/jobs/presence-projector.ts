import type { NatsConnection } from "@nats-io/nats-core";
import { JOBS_STREAM, WORKER_HEARTBEAT_FILTER } from "../../contracts/index.ts";
import type { Logger } from "../../runtime/index.ts";
import { DurableLoop } from "./durable-loop.ts";
import { decodeHeartbeat } from "./job-decoding.ts";
import type { PresenceRows } from "./presence-rows.ts";

export const PRESENCE_DURABLE = "jobs-worker-presence-projector";

/** The presence projector (jobs.md §10, §13): the newest heartbeat per worker; mismatching bodies are dropped. */
export function presenceLoop(nc: NatsConnection, rows: PresenceRows, logger: Logger): DurableLoop {
  const log = logger.child({ loop: "presence" });
  return new DurableLoop(
    nc,
    {
      stream: JOBS_STREAM,
      durable: PRESENCE_DURABLE,
      filter: WORKER_HEARTBEAT_FILTER,
      projectedSeq: () => rows.projectedSeq(),
    },
    (msg) => {
      const heartbeat = decodeHeartbeat(msg.subject, msg.data);
      if (heartbeat.isErr()) {
        log.warn({ seq: msg.seq, subject: msg.subject, reason: heartbeat.error }, "undecodable heartbeat; skipped");
        rows.advance(msg.seq);
      } else rows.apply(msg.seq, heartbeat.value);
      return { ack: true };
    },
    log,
  );
}
