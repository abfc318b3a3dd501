import type * as v from "valibot";
import type * as s from "./schema.ts";

/**
 * Types of the manifest model, inferred from the valibot schemas so that the
 * two cannot drift. A `Manifest` is a manifest that passed `parse`; after
 * `normalize` it is a `NormalizedManifest` (same shape, rules of §3 applied).
 */
export type Manifest = v.InferOutput<typeof s.ManifestSchema>;
export type ContractKind = v.InferOutput<typeof s.ContractKindSchema>;
export type Ref = v.InferOutput<typeof s.RefSchema>;
export type Docs = v.InferOutput<typeof s.DocsSchema>;
export type Caps = v.InferOutput<typeof s.CapsSchema>;
export type JsonSchema = v.InferOutput<typeof s.JsonSchemaSchema>;
export type CapabilityDecl = v.InferOutput<typeof s.CapabilityDeclSchema>;
export type Use = v.InferOutput<typeof s.UseSchema>;
export type Uses = v.InferOutput<typeof s.UsesSchema>;
export type StateStore = v.InferOutput<typeof s.StateStoreSchema>;
export type RpcDescriptor = v.InferOutput<typeof s.RpcSchema>;
export type OperationDescriptor = v.InferOutput<typeof s.OperationSchema>;
export type OperationTransfer = v.InferOutput<typeof s.OperationTransferSchema>;
export type EventDescriptor = v.InferOutput<typeof s.EventSchema>;
export type FeedDescriptor = v.InferOutput<typeof s.FeedSchema>;
export type JobQueue = v.InferOutput<typeof s.JobQueueSchema>;
export type EventConsumer = v.InferOutput<typeof s.EventConsumerSchema>;
export type KvResource = v.InferOutput<typeof s.KvResourceSchema>;
export type StoreResource = v.InferOutput<typeof s.StoreResourceSchema>;
export type Resources = v.InferOutput<typeof s.ResourcesSchema>;
export type ErrorDecl = v.InferOutput<typeof s.ErrorDeclSchema>;

declare const normalized: unique symbol;
/** Branded (type-only) so that only `normalize` produces one. */
export type NormalizedManifest = Manifest & { readonly [normalized]: true };

/** The kinds of named surfaces (contracts.md: "one named rpc, operation, event or feed"). */
export type SurfaceKind = "rpc" | "operation" | "event" | "feed";

/** Runtime defaults that normalization never writes (contracts.md §1). */
export const RUNTIME_DEFAULTS = {
  job: {
    maxDeliver: 5,
    backoffMs: [5000, 30000, 120000, 600000, 1800000],
    ackWaitMs: 300000,
    progress: true,
    logs: true,
    dlq: true,
    concurrency: 1,
  },
  stateVersion: "v1",
  kv: { required: true, history: 1, ttlMs: 0 },
  store: { required: true, ttlMs: 0 },
} as const;
