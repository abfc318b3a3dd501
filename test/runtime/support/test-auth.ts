import { AuthError, err, ok, type Result } from "../../../src/runtime/index.ts";
import { LocalRequestAuthenticator } from "../../../src/runtime/rpc/local-authenticator.ts";
import type { Principal, PrincipalLookup } from "../../../src/runtime/rpc/principal-lookup.ts";
import { MemoryReplayGuard } from "../../../src/runtime/rpc/replay-guard.ts";
import type { AuthenticationError, Caller } from "../../../src/runtime/rpc/request-authenticator.ts";

/** Sessions of the tests: session key → capabilities (a capability table, no control plane). */
export class CapabilityTable implements PrincipalLookup {
  readonly #sessions = new Map<string, Caller>();

  addService(sessionKey: string, name: string, capabilities: string[]): void {
    this.#sessions.set(sessionKey, { type: "service", id: `svc_${name}`, name, active: true, capabilities });
  }

  async lookup(sessionKey: string): Promise<Result<Principal, AuthenticationError>> {
    const caller = this.#sessions.get(sessionKey);
    return caller === undefined ? err(new AuthError("session_not_found")) : ok({ caller });
  }
}

/**
 * The in-process authenticator of the tests: the runtime's own Validate
 * steps (real proofs via verifyRequestProof, freshness, a replay set) over a
 * capability table.
 */
export function testAuthenticator(table: CapabilityTable) {
  return new LocalRequestAuthenticator({ principals: table, replay: new MemoryReplayGuard() });
}
