import type { SurfaceKind } from "../manifest/types.ts";
import type { SchemaChangeCode } from "./schema-compare/change.ts";

/** Whether a change can break someone who relied on the old contract. */
export type Impact = "compatible" | "breaking";

export type SurfaceRef = { kind: SurfaceKind; name: string };

type SurfaceChange = "added" | "removed" | "subject-changed" | "version-changed";

/** Queue delivery settings, shared by job queues and event consumer groups. */
export type DeliveryChange =
  | "max-deliver-lowered"
  | "max-deliver-raised"
  | "ack-wait-lowered"
  | "ack-wait-raised"
  | "backoff-shortened"
  | "backoff-lengthened"
  | "setting-changed";

/** Stable codes of every kind of change; `schema.*` codes come from the schema comparison. */
export type ChangeCode =
  | "contract.lineage-changed"
  | "contract.version-bumped"
  | "contract.version-lowered"
  | "contract.kind-changed"
  | "contract.id-not-bumped"
  | "capability.declaration-added"
  | "capability.declaration-removed"
  | "capability.required-added"
  | "capability.required-removed"
  | `${SurfaceKind}.${SurfaceChange}`
  | "rpc.error-added"
  | "rpc.error-removed"
  | "rpc.transfer-added"
  | "rpc.transfer-removed"
  | "operation.progress-added"
  | "operation.progress-removed"
  | "operation.signal-added"
  | "operation.signal-removed"
  | "operation.cancel-enabled"
  | "operation.cancel-disabled"
  | "operation.transfer-added"
  | "operation.transfer-removed"
  | "operation.transfer-changed"
  | "event.params-changed"
  | "export.added"
  | "export.removed"
  | "state.added"
  | "state.removed"
  | "state.kind-changed"
  | "state.version-changed"
  | "state.accepted-version-added"
  | "state.accepted-version-removed"
  | "job.added"
  | "job.removed"
  | "job.result-added"
  | "job.result-removed"
  | `job.${DeliveryChange}`
  | "consumer.added"
  | "consumer.removed"
  | "consumer.replay-changed"
  | "consumer.event-added"
  | "consumer.event-removed"
  | `consumer.${DeliveryChange}`
  | "kv.added"
  | "kv.removed"
  | "kv.history-lowered"
  | "kv.history-raised"
  | "kv.ttl-shortened"
  | "kv.ttl-lengthened"
  | "kv.max-value-bytes-lowered"
  | "kv.max-value-bytes-raised"
  | "kv.required-changed"
  | "store.added"
  | "store.removed"
  | "store.ttl-shortened"
  | "store.ttl-lengthened"
  | "store.max-object-bytes-lowered"
  | "store.max-object-bytes-raised"
  | "store.max-total-bytes-lowered"
  | "store.max-total-bytes-raised"
  | "store.required-changed"
  | "uses.required-added"
  | "uses.optional-added"
  | "uses.removed"
  | "uses.contract-changed"
  | "uses.promoted"
  | "uses.demoted"
  | "uses.surface-added"
  | "uses.surface-removed"
  | SchemaChangeCode;

/**
 * One classified change. `caller` is the view of everyone using the
 * contract (clients, apps, other services: whoever calls, subscribes or
 * publishes); `owner` the view of the participant implementing it, with its
 * stored data, job queues and consumer groups.
 */
export type Finding = {
  /** JSON pointer into the manifests: the new one's, or the old one's for what was removed. */
  path: string;
  surface?: SurfaceRef;
  change: ChangeCode;
  message: string;
  caller: Impact;
  owner: Impact;
};

export const breakingIf = (condition: boolean): Impact => (condition ? "breaking" : "compatible");
