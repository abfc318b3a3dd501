import { ulid } from "ulid";
import { authAdmin, err, ok, ValidationError, type Result, type TrellisError } from "../../contracts/index.ts";
import type { InstanceRecord } from "../store/records.ts";
import { nowOf, storeError, type AdminContext } from "./context.ts";

/**
 * Registers an instance's session key with a deployment (auth.md §6.3). The
 * seed never reaches the control plane: `trellis svc <id> provision`
 * generates it locally and sends only the public key. Idempotent for the
 * same key and deployment.
 */
export async function provisionInstance(
  context: AdminContext,
  input: { deploymentId: string; sessionKey: string; capabilities?: string[] | undefined },
): Promise<Result<{ instance: InstanceRecord }, TrellisError>> {
  const { store } = context;
  const deployment = await store.deployments.get(input.deploymentId);
  if (deployment.isErr()) return storeError(deployment.error);
  if (deployment.value === undefined) {
    return err(new authAdmin.NotFoundError({ kind: "deployment", key: input.deploymentId }));
  }
  const session = await store.sessions.get(input.sessionKey);
  if (session.isOk() && session.value?.value.type === "user") {
    return err(new ValidationError([{ path: "/sessionKey", message: "this session key belongs to a user session" }]));
  }
  const record: InstanceRecord = {
    instanceId: `ins_${ulid().toLowerCase()}`,
    deploymentId: input.deploymentId,
    sessionKey: input.sessionKey,
    disabled: false,
    capabilities: [...new Set(input.capabilities ?? [])].sort(),
    createdAt: nowOf(context).toISOString(),
  };
  const created = await store.instances.create(input.sessionKey, record);
  if (created.isErr()) return storeError(created.error);
  if (!created.value) {
    const existing = await store.instances.get(input.sessionKey);
    if (existing.isErr()) return storeError(existing.error);
    if (existing.value !== undefined && existing.value.value.deploymentId === input.deploymentId) {
      return ok({ instance: existing.value.value });
    }
    return err(
      new ValidationError([{ path: "/sessionKey", message: "this session key is provisioned for another deployment" }]),
    );
  }
  context.logger.info(
    { deploymentId: input.deploymentId, instanceId: record.instanceId, sessionKey: input.sessionKey },
    "instance provisioned",
  );
  return ok({ instance: record });
}
