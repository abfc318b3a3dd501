import * as v from "valibot";
import { defineError } from "../authoring/define-error.ts";
import { ContractDocumentSchema } from "./core.ts";

/**
 * Wire shapes of the admin RPCs of `trellis.auth@v1` (auth.md §6, §6.5):
 * deployments, instances, service approvals, operator-approved sessions and
 * connect denials. The control plane serves them; `trellis svc` and
 * `trellis sessions` call them. Storage records are the control plane's own
 * (src/server/store/); these are what travels.
 */

/** Deployment ids name a service in subjects-free places (KV keys, logs): lowercase, digits, dashes. */
export const DEPLOYMENT_ID_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
/** User ids: the same alphabet plus `_` (generated ids look like `sk_<sk16>` lowercased). */
export const USER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const DeploymentId = v.pipe(v.string(), v.regex(DEPLOYMENT_ID_PATTERN, "must match ^[a-z][a-z0-9-]{0,62}$"));
const UserId = v.pipe(v.string(), v.regex(USER_ID_PATTERN, "must match ^[a-z0-9][a-z0-9_-]{0,62}$"));
const SessionKey = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, "must be a 43-character session key"));
const Digest = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/));
const Capability = v.pipe(v.string(), v.minLength(1));
const Timestamp = v.string();

export const DeploymentSchema = v.object({
  deploymentId: v.string(),
  disabled: v.boolean(),
  /** Set by the first approval: a deployment serves one contract lineage. */
  contractId: v.optional(v.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const InstanceSchema = v.object({
  instanceId: v.string(),
  deploymentId: v.string(),
  sessionKey: v.string(),
  disabled: v.boolean(),
  capabilities: v.array(v.string()),
  createdAt: Timestamp,
});

export const ApprovalSchema = v.object({
  approvalId: v.string(),
  scope: v.variant("kind", [
    v.object({
      kind: v.literal("user"),
      userId: v.string(),
      anchor: v.object({
        kind: v.picklist(["cli", "native"]),
        contractId: v.string(),
        sessionPublicKey: v.string(),
      }),
    }),
    v.object({ kind: v.literal("service"), deploymentId: v.string() }),
  ]),
  contractId: v.string(),
  contractDigest: v.string(),
  capabilities: v.array(v.string()),
  publishSubjects: v.array(v.string()),
  subscribeSubjects: v.array(v.string()),
  /** Materialized resources (reconciliation) and what the runtime binds them with. */
  bindings: v.array(
    v.object({
      kind: v.picklist(["eventConsumer", "kv", "store", "job", "operationState"]),
      name: v.string(),
      resource: v.string(),
      binding: v.record(v.string(), v.unknown()),
    }),
  ),
  /** Subjects of materialized resource bindings (event consumers, kv, store, job queues), granted besides the rule subjects. */
  bindingPublishSubjects: v.array(v.string()),
  bindingSubscribeSubjects: v.array(v.string()),
  decidedBy: v.string(),
  decidedAt: Timestamp,
  revokedAt: v.nullable(Timestamp),
});

export const DenialSchema = v.object({
  reason: v.string(),
  at: Timestamp,
  sessionKey: v.optional(v.string()),
  contractDigest: v.optional(v.string()),
  host: v.optional(v.string()),
  serverId: v.optional(v.string()),
});

export const UserSchema = v.object({
  userId: v.string(),
  active: v.boolean(),
  capabilities: v.array(v.string()),
  capabilityGroups: v.array(v.string()),
  name: v.optional(v.string()),
  email: v.optional(v.string()),
});

export const SessionSummarySchema = v.object({
  sessionKey: v.string(),
  type: v.picklist(["user", "service"]),
  principalId: v.string(),
  contractId: v.string(),
  contractDigest: v.string(),
  approvalId: v.string(),
  createdAt: Timestamp,
  lastAuth: Timestamp,
});

/** A permission rule as derived for an approval (contracts.md §5), for display. */
export const RuleSchema = v.object({
  dir: v.picklist(["pub", "sub"]),
  subject: v.string(),
  requiredCaps: v.array(v.string()),
  surface: v.object({
    contractId: v.string(),
    kind: v.picklist(["rpc", "operation", "event", "feed"]),
    name: v.string(),
    action: v.picklist(["call", "observe", "cancel", "publish", "subscribe"]),
  }),
  origin: v.variant("source", [
    v.object({ source: v.literal("uses"), alias: v.string(), group: v.picklist(["required", "optional"]) }),
    v.object({ source: v.literal("own") }),
    v.object({ source: v.literal("platform") }),
  ]),
});

export const UnmetRuleSchema = v.object({ rule: RuleSchema, missingCaps: v.array(v.string()) });

export const ResourceBindingSchema = v.object({
  kind: v.picklist(["eventConsumer", "kv", "store", "job", "operationState"]),
  name: v.string(),
  resource: v.string(),
});

// ---- inputs and outputs ----

export const DeploymentRefSchema = v.object({ deploymentId: DeploymentId });
export const DeploymentResultSchema = v.object({ deployment: DeploymentSchema, created: v.optional(v.boolean()) });

export const DeploymentListSchema = v.object({
  deployments: v.array(
    v.object({
      deployment: DeploymentSchema,
      instances: v.number(),
      approvedDigests: v.array(v.string()),
    }),
  ),
});

export const DeploymentDetailSchema = v.object({
  deployment: DeploymentSchema,
  instances: v.array(v.object({ instance: InstanceSchema, lastDenial: v.optional(DenialSchema) })),
  approvals: v.array(ApprovalSchema),
  resources: v.array(ResourceBindingSchema),
});

export const ApprovalApplySchema = v.object({
  deploymentId: DeploymentId,
  /** The normalized manifest to approve; the server validates, digests and derives it again. */
  contract: ContractDocumentSchema,
  /** `G` of auth.md §6.2 (`service` is always added). */
  capabilities: v.optional(v.array(Capability)),
  /** Needed when another digest of the same contract is already approved. */
  acceptChange: v.optional(v.boolean()),
  /** Revoke every other approved digest of the deployment once this one is recorded. */
  replace: v.optional(v.boolean()),
  /** Plan only: compute and return, record nothing. */
  dryRun: v.optional(v.boolean()),
});

export const ApprovalPlanSchema = v.object({
  applied: v.boolean(),
  /** new: first approval; unchanged: same digest and grant; amended: same digest, new grant; changed: another digest of the contract is approved. */
  change: v.picklist(["new", "unchanged", "amended", "changed"]),
  previousDigests: v.array(v.string()),
  contractId: v.string(),
  contractDigest: v.string(),
  requestedCapabilities: v.array(v.string()),
  rules: v.array(RuleSchema),
  unmet: v.array(UnmetRuleSchema),
  approval: ApprovalSchema,
  revoked: v.array(v.string()),
});

export const ApprovalRevokeSchema = v.object({ deploymentId: DeploymentId, contractDigest: Digest });
export const RevokeResultSchema = v.object({
  revoked: v.boolean(),
  sessionsDeleted: v.number(),
  connectionsKicked: v.number(),
});

export const ProvisionSchema = v.object({
  deploymentId: DeploymentId,
  /** The instance's public session key; the seed stays with whoever generated it. */
  sessionKey: SessionKey,
  capabilities: v.optional(v.array(Capability)),
});
export const ProvisionResultSchema = v.object({ instance: InstanceSchema });

export const SessionApproveSchema = v.object({
  contract: ContractDocumentSchema,
  sessionKey: SessionKey,
  /** Default: `sk_` + the lowercased first 16 characters of the session key. */
  userId: v.optional(UserId),
  capabilities: v.optional(v.array(Capability)),
  capabilityGroups: v.optional(v.array(Capability)),
});
export const SessionApproveResultSchema = v.object({
  user: UserSchema,
  approval: ApprovalSchema,
  session: SessionSummarySchema,
});

export const SessionRevokeSchema = v.object({ sessionKey: SessionKey });

export const DenialQuerySchema = v.object({ sessionKey: v.optional(v.string()), host: v.optional(v.string()) });
export const DenialResultSchema = v.object({ denial: v.optional(DenialSchema) });

/** A deployment, instance, approval or session that does not exist. */
export const NotFoundError = defineError({
  type: "NotFoundError",
  fields: { kind: v.string(), key: v.string() },
  message: (f) => `${f.kind} '${f.key}' not found`,
});

/** Another digest of the contract is approved: the change must be accepted explicitly (`acceptChange`). */
export const ApprovalChangeRequiredError = defineError({
  type: "ApprovalChangeRequiredError",
  fields: { contractId: v.string(), contractDigest: v.string(), previousDigests: v.array(v.string()) },
  message: (f) =>
    `${f.contractId} is approved with ${f.previousDigests.join(", ")}; approving ${f.contractDigest} must be accepted explicitly`,
});
