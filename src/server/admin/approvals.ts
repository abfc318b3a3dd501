import { ulid } from "ulid";
import type * as v from "valibot";
import {
  authAdmin,
  err,
  grantForService,
  loadManifest,
  ok,
  ValidationError,
  type Result,
  type TrellisError,
  type UnmetRule,
} from "../../contracts/index.ts";
import { activeEntries } from "../approvals/active-contracts.ts";
import { deriveForApproval } from "../approvals/derive.ts";
import { serviceApprovalFilter, serviceApprovalKey } from "../store/keys.ts";
import type { ApprovalRecord } from "../store/records.ts";
import { nowOf, storeError, type AdminContext } from "./context.ts";

type ApplyInput = v.InferOutput<typeof authAdmin.ApprovalApplySchema>;
type Plan = v.InferOutput<typeof authAdmin.ApprovalPlanSchema>;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function describeUnmet(unmet: readonly UnmetRule[]): ValidationError {
  return new ValidationError(
    unmet.map(({ rule, missingCaps }) => ({
      path: `/uses/${rule.origin.source === "uses" ? rule.origin.alias : rule.surface.contractId}`,
      message: `${rule.dir} ${rule.subject} (${rule.surface.action} ${rule.surface.kind} ${rule.surface.name} of ${rule.surface.contractId}) needs ${missingCaps.join(", ")}: grant it with --capability`,
    })),
    { message: "required dependencies are not covered by the granted capabilities" },
  );
}

/**
 * `trellis svc <id> apply` (auth.md §6.2-§6.3): validates and digests the
 * manifest again, resolves it against the active contracts, combines its
 * rules per rule with the granted set `G`, refuses unmet required
 * dependencies, materializes its resources (reconciliation), and records
 * the service-scope ApprovalRecord. Another approved digest of the same
 * contract makes it a `changed` plan that needs `acceptChange`.
 */
export async function applyServiceApproval(
  context: AdminContext,
  input: ApplyInput,
  decidedBy: string,
): Promise<Result<Plan, TrellisError>> {
  const { store } = context;
  const loaded = loadManifest(input.contract);
  if (loaded.isErr()) return err(loaded.error);
  const { manifest, digest } = loaded.value;
  if (manifest.kind === "app" || manifest.kind === "agent") {
    return err(
      new ValidationError([
        {
          path: "/kind",
          message: `${manifest.id} is an ${manifest.kind} contract: approve it with trellis sessions approve`,
        },
      ]),
    );
  }
  const deployment = await store.deployments.get(input.deploymentId);
  if (deployment.isErr()) return storeError(deployment.error);
  if (deployment.value === undefined) {
    return err(new authAdmin.NotFoundError({ kind: "deployment", key: input.deploymentId }));
  }
  const bound = deployment.value.value.contractId;
  if (bound !== undefined && bound !== manifest.id) {
    return err(
      new ValidationError([
        { path: "/id", message: `deployment '${input.deploymentId}' serves ${bound}, not ${manifest.id}` },
      ]),
    );
  }
  const active = await activeEntries(store);
  if (active.isErr()) return storeError(active.error);
  const derived = deriveForApproval(manifest, digest, active.value);
  if (derived.isErr()) return err(derived.error);
  const requested = [...new Set(input.capabilities ?? [])].sort();
  const grant = grantForService(derived.value.rules, requested);
  if (grant.blocking.length > 0) return err(describeUnmet(grant.blocking));

  const existing = await store.approvals.list(serviceApprovalFilter(input.deploymentId));
  if (existing.isErr()) return storeError(existing.error);
  const live = existing.value.map(({ value }) => value).filter((approval) => approval.revokedAt === null);
  const same = live.find((approval) => approval.contractDigest === digest);
  const previousDigests = live.filter((approval) => approval.contractDigest !== digest).map((a) => a.contractDigest);

  const bindings = input.dryRun
    ? await context.reconciler.plan(input.deploymentId, manifest, derived.value.resolved)
    : await context.reconciler.apply(input.deploymentId, manifest, derived.value.resolved);
  if (bindings.isErr()) return err(bindings.error);

  const at = nowOf(context).toISOString();
  const approval: ApprovalRecord = {
    approvalId: same?.approvalId ?? `apr_${ulid()}`,
    scope: { kind: "service", deploymentId: input.deploymentId },
    contractId: manifest.id,
    contractDigest: digest,
    contractKind: "service",
    capabilities: grant.capabilities,
    publishSubjects: grant.publishSubjects,
    subscribeSubjects: grant.subscribeSubjects,
    bindings: bindings.value.bindings,
    bindingPublishSubjects: bindings.value.publishSubjects,
    bindingSubscribeSubjects: bindings.value.subscribeSubjects,
    decidedBy,
    decidedAt: at,
    revokedAt: null,
  };
  const unchanged =
    same !== undefined &&
    sameList(same.capabilities, approval.capabilities) &&
    sameList(same.publishSubjects, approval.publishSubjects) &&
    sameList(same.subscribeSubjects, approval.subscribeSubjects) &&
    sameList(same.bindingPublishSubjects, approval.bindingPublishSubjects) &&
    sameList(same.bindingSubscribeSubjects, approval.bindingSubscribeSubjects);
  const change: Plan["change"] =
    same !== undefined ? (unchanged ? "unchanged" : "amended") : previousDigests.length > 0 ? "changed" : "new";
  const plan = (applied: boolean, revoked: string[]): Plan => ({
    applied,
    change,
    previousDigests,
    contractId: manifest.id,
    contractDigest: digest,
    requestedCapabilities: requested,
    rules: derived.value.rules,
    unmet: grant.unmet,
    approval: unchanged ? same : approval,
    revoked,
  });
  if (input.dryRun) return ok(plan(false, []));
  if (change === "changed" && input.acceptChange !== true) {
    return err(
      new authAdmin.ApprovalChangeRequiredError({ contractId: manifest.id, contractDigest: digest, previousDigests }),
    );
  }
  if (unchanged) return ok(plan(true, []));

  const stored = await store.contracts.put(digest, { digest, manifest });
  if (stored.isErr()) return storeError(stored.error);
  const written = await store.approvals.put(serviceApprovalKey(input.deploymentId, digest), approval);
  if (written.isErr()) return storeError(written.error);
  if (bound === undefined) {
    const updated = await store.deployments.update(
      input.deploymentId,
      { ...deployment.value.value, contractId: manifest.id, updatedAt: at },
      deployment.value.revision,
    );
    if (updated.isErr()) return storeError(updated.error);
  }
  context.logger.info(
    { deploymentId: input.deploymentId, contractId: manifest.id, contractDigest: digest, change, decidedBy },
    "service approval recorded",
  );
  const revoked: string[] = [];
  if (input.replace === true) {
    for (const previous of previousDigests) {
      const outcome = await revokeServiceApproval(context, {
        deploymentId: input.deploymentId,
        contractDigest: previous,
      });
      if (outcome.isErr()) return err(outcome.error);
      revoked.push(previous);
    }
  }
  return ok(plan(true, revoked));
}

/**
 * Revoking a service approval: marked revoked (kept for the record), then
 * every session of the deployment bound to that digest is deleted and its
 * connections kicked. New connects with it are refused from now on.
 */
export async function revokeServiceApproval(
  context: AdminContext,
  input: { deploymentId: string; contractDigest: string },
): Promise<Result<{ revoked: boolean; sessionsDeleted: number; connectionsKicked: number }, TrellisError>> {
  const { store } = context;
  const key = serviceApprovalKey(input.deploymentId, input.contractDigest);
  const existing = await store.approvals.get(key);
  if (existing.isErr()) return storeError(existing.error);
  if (existing.value === undefined) {
    return err(new authAdmin.NotFoundError({ kind: "approval", key: `${input.deploymentId}@${input.contractDigest}` }));
  }
  let revoked = false;
  if (existing.value.value.revokedAt === null) {
    const record = { ...existing.value.value, revokedAt: nowOf(context).toISOString() };
    const updated = await store.approvals.update(key, record, existing.value.revision);
    if (updated.isErr()) return storeError(updated.error);
    if (!updated.value) return revokeServiceApproval(context, input);
    revoked = true;
    context.logger.info(input, "service approval revoked");
  }
  const instances = await store.instances.list();
  if (instances.isErr()) return storeError(instances.error);
  let sessionsDeleted = 0;
  let connectionsKicked = 0;
  for (const { value: instance } of instances.value) {
    if (instance.deploymentId !== input.deploymentId) continue;
    const outcome = await context.revoker.revokeSession(instance.sessionKey, "approval_revoked", input.contractDigest);
    sessionsDeleted += outcome.sessionsDeleted;
    connectionsKicked += outcome.connectionsKicked;
  }
  return ok({ revoked, sessionsDeleted, connectionsKicked });
}
