import { AsyncResult, TransportError, ValidationError } from "../../contracts/index.ts";
import type { JobQueue } from "./job-types.ts";

/**
 * A declared job queue without a binding (the control plane binds queues at
 * approval; a service started over a plain connection may have none):
 * `service.jobs.<queue>` still exists and answers at once with an Err that
 * says why, instead of being undefined.
 */
export const JOBS_UNAVAILABLE = "trellis.jobs.unavailable";

export function unavailableJobQueue(contractId: string, queue: string): JobQueue<unknown, unknown, unknown, unknown> {
  const reason = `job queue ${queue} of ${contractId} has no binding: the control plane binds job queues when it approves the digest`;
  return Object.freeze({
    create: () => AsyncResult.err(new TransportError(JOBS_UNAVAILABLE, reason)),
    handle: () =>
      AsyncResult.err(
        new ValidationError([{ path: `/jobs/${queue}`, message: `${reason}: no handler was registered` }]),
      ),
  });
}
