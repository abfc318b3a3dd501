import type { NatsConnection } from "@nats-io/nats-core";
import { JOB_LIFECYCLE_FILTER, JOBS_STREAM } from "../../contracts/index.ts";
import type { Logger } from "../../runtime/index.ts";
import { DurableLoop } from "./durable-loop.ts";
import { decodeJobEvent } from "./job-decoding.ts";
import type { JobRows } from "./job-rows.ts";

export const PROJECTOR_DURABLE = "jobs-projector";

/**
 * The projector (jobs.md §10): `jobs-projector` on `JOBS`, lifecycle
 * subjects only, one message in flight (`max_ack_pending: 1`) so events are
 * reduced in stream order. Undecodable messages are acked and logged; the
 * sequence moves on either way.
 */
export function projectorLoop(nc: NatsConnection, rows: JobRows, logger: Logger): DurableLoop {
  const log = logger.child({ loop: "projector" });
  return new DurableLoop(
    nc,
    {
      stream: JOBS_STREAM,
      durable: PROJECTOR_DURABLE,
      filter: JOB_LIFECYCLE_FILTER,
      maxAckPending: 1,
      projectedSeq: () => rows.projectedSeq(),
    },
    (msg) => {
      const event = decodeJobEvent(msg.subject, msg.data);
      if (event.isErr()) {
        log.warn({ seq: msg.seq, subject: msg.subject, reason: event.error }, "undecodable job event; skipped");
        rows.advance(msg.seq);
        return { ack: true };
      }
      const projected = rows.apply(msg.seq, event.value);
      if (projected.kind === "ignored") {
        log.debug({ seq: msg.seq, subject: msg.subject, reason: projected.reason }, "job event not applied");
      }
      return { ack: true };
    },
    log,
  );
}
