import type { JobQueue, NormalizedManifest } from "../manifest/types.ts";
import type { SurfaceSchema } from "./surface-types.ts";

/**
 * A job queue of a contract with its valibot schemas (jobs.md §6), the same
 * shape as a generated SDK's `JOBS` entries, so `service.jobs.<queue>` is
 * typed alike from a source module and from an SDK. `settings` are the
 * manifest's, without the defaults filled in.
 */
export interface JobQueueDescriptor<
  TPayload extends SurfaceSchema = SurfaceSchema,
  TResult extends SurfaceSchema = SurfaceSchema,
> {
  readonly queue: string;
  readonly payload: TPayload;
  /** `undefined` when the queue declares no result. */
  readonly result: TResult;
  readonly settings: Readonly<Omit<JobQueue, "payload" | "result" | "docs">>;
}

export type JobDescriptors = { readonly [queue: string]: JobQueueDescriptor };

type SchemaLookup = { readonly [name: string]: unknown };

export function jobDescriptors(manifest: NormalizedManifest, schemas: SchemaLookup): JobDescriptors {
  const queues = Object.entries(manifest.jobs ?? {}).map(([queue, declaration]) => {
    const { payload, result, docs: _docs, ...settings } = declaration;
    return [
      queue,
      Object.freeze({
        queue,
        payload: schemas[payload.schema] as SurfaceSchema,
        result: result === undefined ? undefined : (schemas[result.schema] as SurfaceSchema),
        settings: Object.freeze(settings),
      }),
    ] as const;
  });
  return Object.freeze(Object.fromEntries(queues));
}
