import type * as v from "valibot";
import { authAdmin, err, ok, type Result, type TrellisError } from "../../contracts/index.ts";
import { serviceApprovalFilter, sessionDenialKey } from "../store/keys.ts";
import type { DeploymentRecord } from "../store/records.ts";
import { nowOf, storeError, type AdminContext } from "./context.ts";

type Detail = v.InferOutput<typeof authAdmin.DeploymentDetailSchema>;
type Listing = v.InferOutput<typeof authAdmin.DeploymentListSchema>;

const notFound = (deploymentId: string) => err(new authAdmin.NotFoundError({ kind: "deployment", key: deploymentId }));

export async function createDeployment(
  context: AdminContext,
  deploymentId: string,
): Promise<Result<{ deployment: DeploymentRecord; created: boolean }, TrellisError>> {
  const at = nowOf(context).toISOString();
  const record: DeploymentRecord = { deploymentId, disabled: false, createdAt: at, updatedAt: at };
  const created = await context.store.deployments.create(deploymentId, record);
  if (created.isErr()) return storeError(created.error);
  if (created.value) {
    context.logger.info({ deploymentId }, "deployment created");
    return ok({ deployment: record, created: true });
  }
  const existing = await context.store.deployments.get(deploymentId);
  if (existing.isErr()) return storeError(existing.error);
  if (existing.value === undefined) return notFound(deploymentId);
  return ok({ deployment: existing.value.value, created: false });
}

export async function listDeployments(context: AdminContext): Promise<Result<Listing, TrellisError>> {
  const { store } = context;
  const deployments = await store.deployments.list();
  if (deployments.isErr()) return storeError(deployments.error);
  const instances = await store.instances.list();
  if (instances.isErr()) return storeError(instances.error);
  const approvals = await store.approvals.list("svc.>");
  if (approvals.isErr()) return storeError(approvals.error);
  return ok({
    deployments: deployments.value.map(({ value: deployment }) => ({
      deployment,
      instances: instances.value.filter(({ value }) => value.deploymentId === deployment.deploymentId).length,
      approvedDigests: approvals.value
        .filter(({ value }) => value.scope.kind === "service" && value.scope.deploymentId === deployment.deploymentId)
        .filter(({ value }) => value.revokedAt === null)
        .map(({ value }) => value.contractDigest)
        .sort(),
    })),
  });
}

/** Everything `trellis svc <id> show` prints: instances with their last connect denial, approvals, resources. */
export async function getDeployment(
  context: AdminContext,
  deploymentId: string,
): Promise<Result<Detail, TrellisError>> {
  const { store } = context;
  const deployment = await store.deployments.get(deploymentId);
  if (deployment.isErr()) return storeError(deployment.error);
  if (deployment.value === undefined) return notFound(deploymentId);
  const instances = await store.instances.list();
  if (instances.isErr()) return storeError(instances.error);
  const detailed: Detail["instances"] = [];
  for (const { value: instance } of instances.value) {
    if (instance.deploymentId !== deploymentId) continue;
    const denial = await store.denials.get(sessionDenialKey(instance.sessionKey));
    if (denial.isErr()) return storeError(denial.error);
    detailed.push(denial.value === undefined ? { instance } : { instance, lastDenial: denial.value.value });
  }
  const approvals = await store.approvals.list(serviceApprovalFilter(deploymentId));
  if (approvals.isErr()) return storeError(approvals.error);
  const resources = await store.resources.list(`${deploymentId}.>`);
  if (resources.isErr()) return storeError(resources.error);
  return ok({
    deployment: deployment.value.value,
    instances: detailed,
    approvals: approvals.value.map(({ value }) => value),
    resources: resources.value.map(({ value }) => ({ kind: value.kind, name: value.name, resource: value.resource })),
  });
}

/**
 * Disabling refuses new connects and every Validate of the deployment's
 * instances at once (`service_disabled`), and kicks what is connected.
 */
export async function setDeploymentDisabled(
  context: AdminContext,
  deploymentId: string,
  disabled: boolean,
): Promise<Result<{ deployment: DeploymentRecord }, TrellisError>> {
  const { store } = context;
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await store.deployments.get(deploymentId);
    if (existing.isErr()) return storeError(existing.error);
    if (existing.value === undefined) return notFound(deploymentId);
    const record = { ...existing.value.value, disabled, updatedAt: nowOf(context).toISOString() };
    const updated = await store.deployments.update(deploymentId, record, existing.value.revision);
    if (updated.isErr()) return storeError(updated.error);
    if (!updated.value) continue;
    context.logger.info({ deploymentId, disabled }, disabled ? "deployment disabled" : "deployment enabled");
    if (disabled) {
      const instances = await store.instances.list();
      if (instances.isErr()) return storeError(instances.error);
      for (const { value } of instances.value) {
        if (value.deploymentId === deploymentId)
          await context.revoker.revokeSession(value.sessionKey, "service_disabled");
      }
    }
    return ok({ deployment: record });
  }
  return err(new authAdmin.NotFoundError({ kind: "deployment", key: deploymentId }));
}
