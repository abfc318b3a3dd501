import { ulid } from "ulid";
import {
  AuthError,
  err,
  grantForUser,
  missingCapabilities,
  ok,
  ValidationError,
  type ActiveEntry,
  type NormalizedManifest,
  type PermissionRule,
  type Result,
} from "../../contracts/index.ts";
import type { ApprovalRecord, SessionRecord, UserRecord } from "../store/records.ts";
import { effectiveUserCapabilities } from "./capability-groups.ts";
import { deriveForApproval } from "./derive.ts";

export type UserApproval = { approval: ApprovalRecord; session: SessionRecord; rules: PermissionRule[] };

/**
 * An operator approving a session key for an app or agent contract (auth.md
 * §6.5), without a browser flow: the all-or-nothing grant of §6.2, checked
 * against the user's effective capabilities, then the ApprovalRecord and
 * the Session it binds. Pure: `trellis init admin` runs it offline.
 */
export function approveUserSession(input: {
  manifest: NormalizedManifest;
  digest: string;
  user: UserRecord;
  sessionKey: string;
  decidedBy: string;
  now: Date;
  active: readonly ActiveEntry[];
}): Result<UserApproval, ValidationError | AuthError> {
  const { manifest, digest, user, sessionKey, now } = input;
  if (manifest.kind === "service") {
    return err(
      new ValidationError([{ path: "/kind", message: "a service contract is approved with `trellis svc <id> apply`" }]),
    );
  }
  const derived = deriveForApproval(manifest, digest, input.active);
  if (derived.isErr()) return err(derived.error);
  const grant = grantForUser(derived.value.rules);
  const missing = missingCapabilities(grant.capabilities, effectiveUserCapabilities(user));
  if (missing.length > 0) {
    return err(
      new AuthError("insufficient_permissions", {
        message: `user '${user.userId}' lacks ${missing.join(", ")}, which ${manifest.id} requires`,
        context: { missingCapabilities: missing },
      }),
    );
  }
  const at = now.toISOString();
  const approval: ApprovalRecord = {
    approvalId: `apr_${ulid()}`,
    scope: {
      kind: "user",
      userId: user.userId,
      anchor: {
        kind: manifest.kind === "agent" ? "cli" : "native",
        contractId: manifest.id,
        sessionPublicKey: sessionKey,
      },
    },
    contractId: manifest.id,
    contractDigest: digest,
    contractKind: manifest.kind === "agent" ? "agent" : "app",
    capabilities: grant.capabilities,
    publishSubjects: grant.publishSubjects,
    subscribeSubjects: grant.subscribeSubjects,
    bindings: [],
    bindingPublishSubjects: [],
    bindingSubscribeSubjects: [],
    decidedBy: input.decidedBy,
    decidedAt: at,
    revokedAt: null,
  };
  const session: SessionRecord = {
    sessionKey,
    type: "user",
    principalId: user.userId,
    contractId: manifest.id,
    contractDigest: digest,
    approvalId: approval.approvalId,
    delegatedCapabilities: grant.capabilities,
    delegatedPublishSubjects: grant.publishSubjects,
    delegatedSubscribeSubjects: grant.subscribeSubjects,
    createdAt: at,
    lastAuth: at,
  };
  return ok({ approval, session, rules: derived.value.rules });
}
