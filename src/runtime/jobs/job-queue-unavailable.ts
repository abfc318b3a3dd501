import { AsyncResult, TransportError, ValidationError } from "../../contracts/index.ts";
import type { JobQueue } from "./job-types.ts";

/**
 * Job queues (jobs.md) are typed end to end but not run by this runtime yet:
 * `service.jobs.<queue>` exists for every declared queue and answers at once
 * with an Err that says so, instead of being undefined.
 */
export const JOBS_UNAVAILABLE = "trellis.jobs.unavailable";

export function unavailableJobQueue(contractId: string, queue: string): JobQueue<unknown, unknown, unknown, unknown> {
  const reason = `job queue ${queue} of ${contractId}: this version of the Trellis runtime does not run jobs yet`;
  return Object.freeze({
    create: () => AsyncResult.err(new TransportError(JOBS_UNAVAILABLE, reason)),
    handle: () =>
      AsyncResult.err(
        new ValidationError([{ path: `/jobs/${queue}`, message: `${reason}: no handler was registered` }]),
      ),
  });
}
