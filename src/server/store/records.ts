import * as v from "valibot";

/**
 * The records of auth.md §6.1 as the control plane stores them in KV, plus
 * the bookkeeping records of §5. Every read goes through these schemas: a
 * record that does not parse is corrupt (`session_corrupted` for sessions),
 * never trusted. Fields beyond the spec are ours and documented in
 * design/state-buckets.md.
 */

const strings = v.array(v.string());
const timestamp = v.string();

export const UserRecordSchema = v.object({
  userId: v.string(),
  active: v.boolean(),
  capabilities: strings,
  capabilityGroups: strings,
  name: v.optional(v.string()),
  email: v.optional(v.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type UserRecord = v.InferOutput<typeof UserRecordSchema>;

export const DeploymentRecordSchema = v.object({
  deploymentId: v.string(),
  disabled: v.boolean(),
  contractId: v.optional(v.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type DeploymentRecord = v.InferOutput<typeof DeploymentRecordSchema>;

export const InstanceRecordSchema = v.object({
  instanceId: v.string(),
  deploymentId: v.string(),
  sessionKey: v.string(),
  disabled: v.boolean(),
  capabilities: strings,
  createdAt: timestamp,
});
export type InstanceRecord = v.InferOutput<typeof InstanceRecordSchema>;

export const AnchorSchema = v.object({
  kind: v.picklist(["cli", "native"]),
  contractId: v.string(),
  sessionPublicKey: v.string(),
});

export const ResourceBindingSchema = v.object({
  /** `operationState`: the service's one operation bucket (`name` "operations", operations.md §4). */
  kind: v.picklist(["eventConsumer", "kv", "store", "job", "operationState"]),
  /** The group or alias in the contract. */
  name: v.string(),
  /** The opaque JetStream name (`tr_cons_…`, `tr_kv_…`, `tr_obj_…`), or a job queue's consumer `<service>-<job-type>`. */
  resource: v.string(),
  /** What the runtime binds with (runtime-wire.md §3, §6). */
  binding: v.record(v.string(), v.unknown()),
});
export type ResourceBinding = v.InferOutput<typeof ResourceBindingSchema>;

export const ApprovalRecordSchema = v.object({
  approvalId: v.string(),
  scope: v.variant("kind", [
    v.object({ kind: v.literal("user"), userId: v.string(), anchor: AnchorSchema }),
    v.object({ kind: v.literal("service"), deploymentId: v.string() }),
  ]),
  contractId: v.string(),
  contractDigest: v.string(),
  /** `app` or `agent` for user approvals, `service` for service ones: the Caller's participantKind. */
  contractKind: v.picklist(["service", "app", "agent"]),
  capabilities: strings,
  publishSubjects: strings,
  subscribeSubjects: strings,
  bindings: v.array(ResourceBindingSchema),
  bindingPublishSubjects: strings,
  bindingSubscribeSubjects: strings,
  decidedBy: v.string(),
  decidedAt: timestamp,
  revokedAt: v.nullable(timestamp),
});
export type ApprovalRecord = v.InferOutput<typeof ApprovalRecordSchema>;

export const SessionRecordSchema = v.object({
  sessionKey: v.string(),
  type: v.picklist(["user", "service"]),
  principalId: v.string(),
  contractId: v.string(),
  contractDigest: v.string(),
  approvalId: v.string(),
  delegatedCapabilities: strings,
  delegatedPublishSubjects: strings,
  delegatedSubscribeSubjects: strings,
  createdAt: timestamp,
  lastAuth: timestamp,
});
export type SessionRecord = v.InferOutput<typeof SessionRecordSchema>;

export const PresenceRecordSchema = v.object({
  serverId: v.string(),
  clientId: v.number(),
  connectedAt: timestamp,
  /** What the connection presented, so revoking one digest kicks only its connections. */
  contractDigest: v.optional(v.string()),
});
export type PresenceRecord = v.InferOutput<typeof PresenceRecordSchema>;

export const DenialRecordSchema = v.object({
  reason: v.string(),
  at: timestamp,
  sessionKey: v.optional(v.string()),
  contractDigest: v.optional(v.string()),
  host: v.optional(v.string()),
  serverId: v.optional(v.string()),
});
export type DenialRecord = v.InferOutput<typeof DenialRecordSchema>;

export const ResourceRecordSchema = v.object({
  /** `job`: a queue's JOBS_WORK consumer; also kept under `_jobs.<consumer>` with `name` = `<deploymentId>/<queue>`, so names never collide. */
  kind: v.picklist(["eventConsumer", "kv", "store", "job"]),
  name: v.string(),
  resource: v.string(),
  createdAt: timestamp,
});
export type ResourceRecord = v.InferOutput<typeof ResourceRecordSchema>;
