import { err, ok, type Result } from "../../contracts/index.ts";
import type { AuthReason } from "../../runtime/index.ts";
import { effectiveUserCapabilities, serviceCapabilities } from "../approvals/capability-groups.ts";
import type { AuthStore } from "../store/auth-store.ts";
import { serviceApprovalFilter, serviceApprovalKey, userApprovalKey } from "../store/keys.ts";
import type { StoreFailure } from "../store/record-bucket.ts";
import type { ApprovalRecord, DeploymentRecord, InstanceRecord, SessionRecord, UserRecord } from "../store/records.ts";

/** A refusal with its auth.md §8 code; `detail` is for logs only (never secrets). */
export type Denial = { reason: AuthReason; detail?: string };

export const deny = (reason: AuthReason, detail?: string): Denial =>
  detail === undefined ? { reason } : { reason, detail };

/** A record that cannot be read is never a partial answer: the caller is denied (auth.md §5 step 5). */
export const storeDenial = (failure: StoreFailure): Denial =>
  deny(
    failure.kind === "corrupt" && failure.bucket === "trellis_sessions" ? "session_corrupted" : "internal_error",
    `${failure.bucket}/${failure.key}: ${failure.kind}: ${failure.message}`,
  );

export type ServicePrincipal = {
  kind: "service";
  instance: InstanceRecord;
  deployment: DeploymentRecord;
  approval: ApprovalRecord;
  capabilities: string[];
};

export type UserPrincipal = {
  kind: "user";
  user: UserRecord;
  approval: ApprovalRecord;
  capabilities: string[];
};

/**
 * Service checks of auth.md §6.3: instance and deployment enabled, then a
 * non-revoked approval of exactly this digest. Without one, `contract_changed`
 * when other digests of the deployment's contract are approved (a deployment
 * serves one contract lineage, design/auth.md), else `service_authority_miss`.
 */
export async function checkServicePrincipal(
  store: AuthStore,
  instance: InstanceRecord,
  contractDigest: string,
): Promise<Result<ServicePrincipal, Denial>> {
  if (instance.disabled) return err(deny("service_disabled", "instance disabled"));
  const [deployment, approval] = await Promise.all([
    store.deployments.get(instance.deploymentId),
    store.approvals.get(serviceApprovalKey(instance.deploymentId, contractDigest)),
  ]);
  if (deployment.isErr()) return err(storeDenial(deployment.error));
  if (deployment.value === undefined) return err(deny("service_disabled", "deployment missing"));
  if (deployment.value.value.disabled) return err(deny("service_disabled", "deployment disabled"));
  if (approval.isErr()) return err(storeDenial(approval.error));
  const record = approval.value?.value;
  if (record === undefined || record.revokedAt !== null) {
    const others = await store.approvals.list(serviceApprovalFilter(instance.deploymentId));
    if (others.isErr()) return err(storeDenial(others.error));
    const approvedElsewhere = others.value.some(
      ({ value }) => value.revokedAt === null && value.contractDigest !== contractDigest,
    );
    return err(deny(approvedElsewhere ? "contract_changed" : "service_authority_miss"));
  }
  return ok({
    kind: "service",
    instance,
    deployment: deployment.value.value,
    approval: record,
    capabilities: serviceCapabilities(instance.capabilities, record.capabilities),
  });
}

/**
 * User checks of auth.md §6.3 after the session itself: the user exists and
 * is active, the approval exists and is not revoked, and the session's
 * delegated capabilities are still held (groups resolved now).
 */
export async function checkUserPrincipal(
  store: AuthStore,
  session: SessionRecord,
): Promise<Result<UserPrincipal, Denial>> {
  const [user, approval] = await Promise.all([
    store.users.get(session.principalId),
    store.approvals.get(userApprovalKey(session.principalId, session.approvalId)),
  ]);
  if (user.isErr()) return err(storeDenial(user.error));
  if (user.value === undefined) return err(deny("user_not_found"));
  if (!user.value.value.active) return err(deny("user_inactive"));
  if (approval.isErr()) return err(storeDenial(approval.error));
  const record = approval.value?.value;
  if (record === undefined || record.revokedAt !== null) return err(deny("approval_required"));
  const capabilities = effectiveUserCapabilities(user.value.value);
  const held = new Set(capabilities);
  const missing = session.delegatedCapabilities.filter((capability) => !held.has(capability));
  if (missing.length > 0) return err(deny("insufficient_permissions", `missing ${missing.join(" ")}`));
  return ok({ kind: "user", user: user.value.value, approval: record, capabilities });
}

/** `lastAuth` older than the session TTL (auth.md §4 step 5). */
export function sessionExpired(session: SessionRecord, nowMs: number, ttlSeconds: number): boolean {
  const lastAuth = Date.parse(session.lastAuth);
  return !Number.isFinite(lastAuth) || nowMs - lastAuth > ttlSeconds * 1000;
}
