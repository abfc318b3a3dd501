import { err, ok, withSessionInbox, type Result } from "../../contracts/index.ts";
import { REPLAY_CLAIM_GRANT, type NatsAuthTokenV1 } from "../../runtime/index.ts";
import { readContract } from "../approvals/active-contracts.ts";
import type { AuthStore } from "../store/auth-store.ts";
import type { SessionRecord } from "../store/records.ts";
import {
  checkServicePrincipal,
  checkUserPrincipal,
  deny,
  sessionExpired,
  storeDenial,
  type Denial,
} from "./principal.ts";

/** What a verified token is admitted as: the JWT's subjects and the session to record. */
export type Admission = {
  kind: "user" | "service";
  sessionKey: string;
  /** userId or instanceId: the middle token of presence keys. */
  scopeId: string;
  /** The JWT `name`: who this connection is, for server logs. */
  name: string;
  publishSubjects: string[];
  subscribeSubjects: string[];
  session: SessionRecord;
  /** KV revision of the session as read (undefined: there was none, the callout creates it). */
  sessionRevision: number | undefined;
};

/**
 * Step 4-5 of the callout (auth.md §5, §6.3): who the session key is, and
 * exactly which subjects its connection gets. Instance first (services),
 * then the session (users). Any record that cannot be read denies.
 */
export async function admitConnection(
  store: AuthStore,
  token: NatsAuthTokenV1,
  nowMs: number,
  sessionTtlSeconds: number,
): Promise<Result<Admission, Denial>> {
  const { sessionKey, contractDigest } = token;
  // Both lookups at once: this is on every connect.
  const [instance, existing] = await Promise.all([store.instances.get(sessionKey), store.sessions.get(sessionKey)]);
  if (instance.isErr()) return err(storeDenial(instance.error));
  const now = new Date(nowMs).toISOString();

  if (instance.value !== undefined) {
    const principal = await checkServicePrincipal(store, instance.value.value, contractDigest);
    if (principal.isErr()) return err(principal.error);
    const { approval, capabilities } = principal.value;
    const subjects = withSessionInbox(
      {
        // Replay claims (publish only) let the service authenticate requests itself (auth.md §4;
        // design/runtime.md "Request authentication"); like the inbox, added per connection, not stored.
        publishSubjects: [...approval.publishSubjects, ...approval.bindingPublishSubjects, REPLAY_CLAIM_GRANT],
        subscribeSubjects: [...approval.subscribeSubjects, ...approval.bindingSubscribeSubjects],
      },
      sessionKey,
    );
    // A service session is derived from instance and approval on every connect; an unreadable one is replaced.
    const previous = existing.isOk() ? existing.value : undefined;
    const session: SessionRecord = {
      sessionKey,
      type: "service",
      principalId: instance.value.value.instanceId,
      contractId: approval.contractId,
      contractDigest,
      approvalId: approval.approvalId,
      delegatedCapabilities: capabilities,
      delegatedPublishSubjects: subjects.publishSubjects,
      delegatedSubscribeSubjects: subjects.subscribeSubjects,
      createdAt: previous?.value.createdAt ?? now,
      lastAuth: now,
    };
    return ok({
      kind: "service",
      sessionKey,
      scopeId: instance.value.value.instanceId,
      name: `${instance.value.value.deploymentId}/${instance.value.value.instanceId}`,
      ...subjects,
      session,
      sessionRevision: previous?.revision,
    });
  }

  if (existing.isErr()) return err(storeDenial(existing.error));
  if (existing.value === undefined) {
    // Device contracts are known by their digest only if someone approved them, which v1 refuses;
    // a digest of a stored device manifest still gets the precise answer.
    const contract = await readContract(store, contractDigest);
    if (contract.isOk() && contract.value?.kind === "device") return err(deny("unknown_device"));
    return err(deny("session_not_found"));
  }
  const session = existing.value.value;
  if (session.type === "service") return err(deny("unknown_service", "service session without an instance"));
  if (sessionExpired(session, nowMs, sessionTtlSeconds)) return err(deny("session_expired"));
  if (session.contractDigest !== contractDigest) return err(deny("contract_changed"));
  const principal = await checkUserPrincipal(store, session);
  if (principal.isErr()) return err(principal.error);
  const subjects = withSessionInbox(
    { publishSubjects: session.delegatedPublishSubjects, subscribeSubjects: session.delegatedSubscribeSubjects },
    sessionKey,
  );
  return ok({
    kind: "user",
    sessionKey,
    scopeId: session.principalId,
    name: `user/${session.principalId}`,
    ...subjects,
    session: { ...session, lastAuth: now },
    sessionRevision: existing.value.revision,
  });
}
