import type { InferSurfaceSchema, JobQueueDescriptor } from "../../contracts/index.ts";
import type { JobQueue } from "../jobs/job-types.ts";

/** A queue's result type; `void` when it declares none (as a generated SDK's `<Queue>JobResult`). */
type JobResult<TSchema> = TSchema extends undefined ? void : InferSurfaceSchema<TSchema>;

/**
 * `service.jobs.<queue>`, typed from the module's `JOBS` (a source's
 * `define*Contract` and a generated SDK both carry it); a module without
 * `JOBS` has no typed queues.
 */
export type JobsFacade<C, TClient, TDeps> = C extends { readonly JOBS: infer TJobs }
  ? {
      readonly [Q in keyof TJobs]: TJobs[Q] extends JobQueueDescriptor<infer TPayload, infer TResult>
        ? JobQueue<InferSurfaceSchema<TPayload>, JobResult<TResult>, TClient, TDeps>
        : never;
    }
  : {};
