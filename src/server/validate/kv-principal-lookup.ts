import { AuthError, err, ok, UnexpectedError, type Result } from "../../contracts/index.ts";
import type { AuthenticationError, Caller, Principal, PrincipalLookup } from "../../runtime/index.ts";
import type { AuthStore } from "../store/auth-store.ts";
import {
  checkServicePrincipal,
  checkUserPrincipal,
  deny,
  sessionExpired,
  storeDenial,
  type Denial,
} from "../sessions/principal.ts";

/** A denial as Validate answers it: an AuthError with the reason, or UnexpectedError when the store failed. */
function asError(denial: Denial): AuthenticationError {
  if (denial.reason === "internal_error") {
    return new UnexpectedError({ context: { reason: "auth state unavailable", detail: denial.detail } });
  }
  return new AuthError(denial.reason, denial.detail === undefined ? {} : { context: { detail: denial.detail } });
}

/**
 * Validate steps 5-6 (auth.md §4) over the shared KV records: the session,
 * its TTL, then the principal checks of §6.3 against the session's stored
 * digest. The control plane wraps it in the runtime's CachedPrincipalLookup.
 */
export class KvPrincipalLookup implements PrincipalLookup {
  constructor(
    private readonly store: AuthStore,
    private readonly sessionTtlSeconds: number,
  ) {}

  async lookup(sessionKey: string): Promise<Result<Principal, AuthenticationError>> {
    const found = await this.store.sessions.get(sessionKey);
    if (found.isErr()) return err(asError(storeDenial(found.error)));
    if (found.value === undefined) return err(asError(deny("session_not_found")));
    const session = found.value.value;
    if (sessionExpired(session, Date.now(), this.sessionTtlSeconds)) return err(asError(deny("session_expired")));

    if (session.type === "service") {
      const instance = await this.store.instances.get(sessionKey);
      if (instance.isErr()) return err(asError(storeDenial(instance.error)));
      if (instance.value === undefined) return err(asError(deny("unknown_service")));
      const principal = await checkServicePrincipal(this.store, instance.value.value, session.contractDigest);
      if (principal.isErr()) return err(asError(principal.error));
      const caller: Caller = {
        type: "service",
        id: principal.value.instance.instanceId,
        name: principal.value.deployment.deploymentId,
        capabilities: principal.value.capabilities,
        active: true,
      };
      return ok({ caller });
    }

    const principal = await checkUserPrincipal(this.store, session);
    if (principal.isErr()) return err(asError(principal.error));
    const { user, approval, capabilities } = principal.value;
    const caller: Caller = {
      type: "user",
      participantKind: approval.contractKind === "agent" ? "agent" : "app",
      userId: user.userId,
      email: user.email ?? "",
      name: user.name ?? user.userId,
      identity: { identityId: user.userId, provider: "trellis", subject: user.userId },
      capabilities,
      active: user.active,
    };
    return ok({ caller, delegatedPublishSubjects: session.delegatedPublishSubjects });
  }
}
