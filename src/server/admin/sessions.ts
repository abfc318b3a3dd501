import type * as v from "valibot";
import {
  authAdmin,
  err,
  loadManifest,
  ok,
  ValidationError,
  type Result,
  type TrellisError,
} from "../../contracts/index.ts";
import { activeEntries } from "../approvals/active-contracts.ts";
import { KNOWN_GROUPS } from "../approvals/capability-groups.ts";
import { approveUserSession } from "../approvals/user-approval.ts";
import { defaultUserId, hostDenialKey, sessionDenialKey, userApprovalKey } from "../store/keys.ts";
import type { DenialRecord, UserRecord } from "../store/records.ts";
import { nowOf, storeError, type AdminContext } from "./context.ts";

type ApproveInput = v.InferOutput<typeof authAdmin.SessionApproveSchema>;
type Approved = v.InferOutput<typeof authAdmin.SessionApproveResultSchema>;

/**
 * `trellis sessions approve` (auth.md §6.5): an operator binds a session key
 * to an app or agent contract for a user, without a browser flow. The user
 * is created if needed (or gains the listed capabilities and groups); the
 * grant is all-or-nothing (§6.2). A key bound before is re-bound: its
 * previous approval is revoked and its connections kicked.
 */
export async function approveSession(
  context: AdminContext,
  input: ApproveInput,
  decidedBy: string,
): Promise<Result<Approved, TrellisError>> {
  const { store } = context;
  const loaded = loadManifest(input.contract);
  if (loaded.isErr()) return err(loaded.error);
  const unknownGroups = (input.capabilityGroups ?? []).filter((g) => !(KNOWN_GROUPS as readonly string[]).includes(g));
  if (unknownGroups.length > 0) {
    return err(
      new ValidationError([{ path: "/capabilityGroups", message: `unknown group(s) ${unknownGroups.join(", ")}` }]),
    );
  }
  const instance = await store.instances.get(input.sessionKey);
  if (instance.isErr()) return storeError(instance.error);
  if (instance.value !== undefined) {
    return err(
      new ValidationError([{ path: "/sessionKey", message: "this session key belongs to a service instance" }]),
    );
  }
  const userId = input.userId ?? defaultUserId(input.sessionKey);
  const at = nowOf(context).toISOString();
  const existingUser = await store.users.get(userId);
  if (existingUser.isErr()) return storeError(existingUser.error);
  const previous = existingUser.value?.value;
  const user: UserRecord = {
    userId,
    active: previous?.active ?? true,
    capabilities: [...new Set([...(previous?.capabilities ?? []), ...(input.capabilities ?? [])])].sort(),
    capabilityGroups: [...new Set([...(previous?.capabilityGroups ?? []), ...(input.capabilityGroups ?? [])])].sort(),
    ...(previous?.name === undefined ? {} : { name: previous.name }),
    ...(previous?.email === undefined ? {} : { email: previous.email }),
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
  };
  const active = await activeEntries(store);
  if (active.isErr()) return storeError(active.error);
  const approved = approveUserSession({
    manifest: loaded.value.manifest,
    digest: loaded.value.digest,
    user,
    sessionKey: input.sessionKey,
    decidedBy,
    now: nowOf(context),
    active: active.value,
  });
  if (approved.isErr()) return err(approved.error);

  const prior = await store.sessions.get(input.sessionKey);
  if (prior.isOk() && prior.value !== undefined) {
    const revoked = await revokeUserSession(context, input.sessionKey, "rebound");
    if (revoked.isErr()) return err(revoked.error);
  }
  const writes = [
    await store.contracts.put(loaded.value.digest, { digest: loaded.value.digest, manifest: loaded.value.manifest }),
    await store.users.put(userId, user),
    await store.approvals.put(userApprovalKey(userId, approved.value.approval.approvalId), approved.value.approval),
    await store.sessions.put(input.sessionKey, approved.value.session),
  ];
  for (const written of writes) if (written.isErr()) return storeError(written.error);
  context.logger.info(
    { userId, sessionKey: input.sessionKey, contractId: loaded.value.manifest.id, decidedBy },
    "session approved",
  );
  return ok({ user, approval: approved.value.approval, session: approved.value.session });
}

/** Revokes a user session: its approval is marked revoked, the session deleted, its connections kicked. */
export async function revokeUserSession(
  context: AdminContext,
  sessionKey: string,
  reason = "revoked",
): Promise<Result<{ revoked: boolean; sessionsDeleted: number; connectionsKicked: number }, TrellisError>> {
  const { store } = context;
  const session = await store.sessions.get(sessionKey);
  if (session.isErr()) return storeError(session.error);
  if (session.value === undefined || session.value.value.type !== "user") {
    return err(new authAdmin.NotFoundError({ kind: "session", key: sessionKey }));
  }
  const { principalId, approvalId } = session.value.value;
  const key = userApprovalKey(principalId, approvalId);
  const approval = await store.approvals.get(key);
  if (approval.isErr()) return storeError(approval.error);
  let revoked = false;
  if (approval.value !== undefined && approval.value.value.revokedAt === null) {
    const updated = await store.approvals.put(key, {
      ...approval.value.value,
      revokedAt: nowOf(context).toISOString(),
    });
    if (updated.isErr()) return storeError(updated.error);
    revoked = true;
  }
  const outcome = await context.revoker.revokeSession(sessionKey, reason);
  return ok({ revoked, ...outcome });
}

export async function lastDenial(
  context: AdminContext,
  query: { sessionKey?: string | undefined; host?: string | undefined },
): Promise<Result<{ denial?: DenialRecord }, TrellisError>> {
  const key =
    query.sessionKey !== undefined
      ? sessionDenialKey(query.sessionKey)
      : query.host !== undefined
        ? hostDenialKey(query.host)
        : undefined;
  if (key === undefined) {
    return err(new ValidationError([{ path: "", message: "give a sessionKey or a host" }]));
  }
  const denial = await context.store.denials.get(key);
  if (denial.isErr()) return storeError(denial.error);
  return ok(denial.value === undefined ? {} : { denial: denial.value.value });
}
