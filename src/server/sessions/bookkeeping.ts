import { err, ok, type Result } from "../../contracts/index.ts";
import type { Logger } from "../../runtime/index.ts";
import type { CalloutRequest } from "../callout/request.ts";
import type { AuthStore } from "../store/auth-store.ts";
import { hostDenialKey, isSessionKeyForm, presenceKey, sessionDenialKey } from "../store/keys.ts";
import type { DenialRecord } from "../store/records.ts";
import type { Admission } from "./connect.ts";
import { deny, storeDenial, type Denial } from "./principal.ts";

/**
 * Writes a service's session before its connection is admitted: created on
 * first connect, otherwise replaced compare-and-set (a concurrent writer
 * wins and this connect retries once on what it wrote).
 */
export async function writeServiceSession(store: AuthStore, admission: Admission): Promise<Result<void, Denial>> {
  const { sessionKey, session } = admission;
  let revision = admission.sessionRevision;
  for (let attempt = 0; attempt < 3; attempt++) {
    const written =
      revision === undefined
        ? await store.sessions.create(sessionKey, session)
        : await store.sessions.update(sessionKey, session, revision);
    if (written.isErr()) return err(storeDenial(written.error));
    if (written.value) return ok(undefined);
    const current = await store.sessions.get(sessionKey);
    if (current.isErr()) {
      // Unreadable: a service session is derived data, so it is overwritten.
      const put = await store.sessions.put(sessionKey, session);
      return put.isErr() ? err(storeDenial(put.error)) : ok(undefined);
    }
    revision = current.value?.revision;
  }
  return err(deny("internal_error", "session write kept racing"));
}

/**
 * `lastAuth` of a user session, compare-and-set: a session deleted by a
 * revocation in the meantime is not brought back.
 */
export async function touchUserSession(store: AuthStore, admission: Admission, logger: Logger): Promise<void> {
  if (admission.sessionRevision === undefined) return;
  const updated = await store.sessions.update(admission.sessionKey, admission.session, admission.sessionRevision);
  if (updated.isErr())
    logger.warn({ sessionKey: admission.sessionKey, problem: updated.error.message }, "lastAuth not updated");
}

/** Presence `<sessionKey>.<scopeId>.<user_nkey>` → `{serverId, clientId, connectedAt}` (auth.md §5 bookkeeping). */
export async function recordPresence(
  store: AuthStore,
  admission: Admission,
  request: CalloutRequest,
  nowMs: number,
  logger: Logger,
): Promise<void> {
  if (request.clientId === undefined) return;
  const put = await store.connections.put(presenceKey(admission.sessionKey, admission.scopeId, request.userNkey), {
    serverId: request.serverId,
    clientId: request.clientId,
    connectedAt: new Date(nowMs).toISOString(),
    contractDigest: admission.session.contractDigest,
  });
  if (put.isErr())
    logger.warn({ sessionKey: admission.sessionKey, problem: put.error.message }, "presence not recorded");
}

/**
 * The last denial, per session key and per client IP (short TTL): clients
 * only see `Authorization Violation`, so this is where the reason code can
 * be read back (`trellis svc <id> show`, `Auth.Admin.Denials.Get`).
 */
export async function recordDenial(
  store: AuthStore,
  reason: string,
  request: CalloutRequest,
  claimed: { sessionKey?: string | undefined; contractDigest?: string | undefined },
  nowMs: number,
  logger: Logger,
): Promise<void> {
  const record: DenialRecord = {
    reason,
    at: new Date(nowMs).toISOString(),
    serverId: request.serverId,
    ...(request.clientHost === undefined ? {} : { host: request.clientHost }),
  };
  const sessionKey = claimed.sessionKey;
  const keyed = sessionKey !== undefined && isSessionKeyForm(sessionKey);
  if (keyed) {
    record.sessionKey = sessionKey;
    if (claimed.contractDigest !== undefined) record.contractDigest = claimed.contractDigest;
  }
  const writes = [
    ...(keyed ? [store.denials.put(sessionDenialKey(sessionKey), record)] : []),
    ...(request.clientHost === undefined ? [] : [store.denials.put(hostDenialKey(request.clientHost), record)]),
  ];
  for (const written of await Promise.all(writes)) {
    if (written.isErr()) logger.warn({ reason, problem: written.error.message }, "denial not recorded");
  }
}
