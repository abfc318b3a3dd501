import { AuthError, err, ok, type Result } from "../../contracts/index.ts";
import { base64urlDecode, KEY_BYTES } from "../auth/base64url.ts";
import { IAT_SKEW_SECONDS, isFresh } from "../auth/reason-codes.ts";
import { replayKey, verifyRequestProof } from "../auth/request-proof.ts";
import { inboxPrefix } from "../../contracts/index.ts";
import type { PrincipalLookup } from "./principal-lookup.ts";
import type { ReplayGuard } from "./replay-guard.ts";
import type {
  AuthenticationError,
  RequestAuthenticator,
  ValidateRequest,
  ValidateResponse,
} from "./request-authenticator.ts";
import { subjectMatches } from "./subject-match.ts";

export type LocalAuthenticatorOptions = {
  principals: PrincipalLookup;
  replay: ReplayGuard;
  /** Server time in ms; the platform clock by default. */
  nowMs?: () => number;
};

/**
 * Validate steps 1-7 (auth.md §4) in process: what the control plane runs
 * behind `rpc.v1.Auth.Requests.Validate`, and what a service may run itself
 * against the shared state. Proof and replay are checked on every call; only
 * the principal lookup may be cached (wrap it in `CachedPrincipalLookup`).
 */
export class LocalRequestAuthenticator implements RequestAuthenticator {
  readonly #principals: PrincipalLookup;
  readonly #replay: ReplayGuard;
  readonly #nowMs: () => number;

  constructor(options: LocalAuthenticatorOptions) {
    this.#principals = options.principals;
    this.#replay = options.replay;
    this.#nowMs = options.nowMs ?? Date.now;
  }

  async authenticate(request: ValidateRequest): Promise<Result<ValidateResponse, AuthenticationError>> {
    // 1. The receiver's hash must be a SHA-256 digest.
    const hash = base64urlDecode(request.payloadHash, KEY_BYTES);
    if (hash.isErr()) return deny("invalid_signature");
    // 2. Freshness.
    const now = this.#nowMs();
    if (!isFresh(request.iat, now)) return deny("iat_out_of_range");
    // 3. The proof over the rebuilt input.
    const fields = {
      sessionKey: request.sessionKey,
      subject: request.subject,
      payloadHash: hash.value,
      iat: request.iat,
      requestId: request.requestId,
    };
    if (request.requestId === "" || !(await verifyRequestProof(fields, request.proof))) {
      return deny("invalid_signature");
    }
    // 4. Replay: claimed only after the proof verified, kept until max(now, iat) + 30 s.
    const keepUntilMs = Math.max(now, request.iat * 1000) + IAT_SKEW_SECONDS * 1000;
    if (!(await this.#replay.claim(replayKey(request.sessionKey, request.requestId), keepUntilMs))) {
      return deny("invalid_signature", "request-id already used");
    }
    // 5-6. Session and principal (the only cacheable step).
    const principal = await this.#principals.lookup(request.sessionKey);
    if (principal.isErr()) return err(principal.error);
    const { caller, delegatedPublishSubjects } = principal.value;
    // 7. Capabilities (all-of) and, for user sessions, the delegated publish subjects.
    const held = new Set(caller.capabilities);
    const capable = (request.capabilities ?? []).every((capability) => held.has(capability));
    const delegated =
      caller.type !== "user" ||
      (delegatedPublishSubjects ?? []).some((pattern) => subjectMatches(pattern, request.subject));
    return ok({ allowed: capable && delegated, inboxPrefix: inboxPrefix(request.sessionKey), caller });
  }
}

function deny(reason: string, detail?: string): Result<never, AuthError> {
  return err(new AuthError(reason, detail === undefined ? {} : { context: { detail } }));
}
