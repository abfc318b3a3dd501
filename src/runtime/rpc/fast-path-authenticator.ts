import type { NatsConnection } from "@nats-io/nats-core";
import { AuthError, err, inboxPrefix, ok, UnexpectedError, type Result } from "../../contracts/index.ts";
import { base64urlDecode, KEY_BYTES } from "../auth/base64url.ts";
import { IAT_SKEW_SECONDS, isFresh } from "../auth/reason-codes.ts";
import { replayKey, verifyRequestProof } from "../auth/request-proof.ts";
import { silentLogger, type Logger } from "../observability/logger.ts";
import { CallerCache } from "./caller-cache.ts";
import type { JetStreamReplayGuard } from "./jetstream-replay-guard.ts";
import type {
  AuthenticationError,
  RequestAuthenticator,
  ValidateRequest,
  ValidateResponse,
} from "./request-authenticator.ts";
import { dropOnRevocation } from "./revocations.ts";

export type FastPathOptions = {
  /** The slow path, and the only source of callers: `ValidateRpcAuthenticator` over the service's connection. */
  validate: RequestAuthenticator;
  /** Claims in the bucket Validate claims in (`JetStreamReplayGuard`). */
  replay: JetStreamReplayGuard;
  callers?: CallerCache;
  /** Server-corrected time (the service's `ServerClock.nowMs`). */
  nowMs: () => number;
  logger?: Logger;
};

/** Why the fast path is off; the service then validates every request through the control plane. */
export type FastPathState = "arming" | "armed" | "off";

/**
 * A service's request authentication (auth.md §4), fast when it can be and
 * never less strict:
 *
 * 1-3. On every request, here: the body hash, freshness and the proof
 *      itself (WebCrypto; the receiving service "MAY pre-verify").
 * 4.   On every request, the replay claim in the bucket every validator
 *      shares: here when the fast path applies, else by Validate (which
 *      claims the same key in the same bucket).
 * 5-6. The session/Caller lookup, the one cacheable step: a Validate answer
 *      at most 2 s old (`CallerCache`), dropped on revocation.
 * 7.   Capabilities against that caller, here; for user sessions only on
 *      subjects Validate already confirmed as delegated.
 *
 * No cached caller → Validate does steps 1-7 itself and its answer fills the
 * cache. The fast path stays off until the revocation subscription is known
 * to be permitted, and turns off for good if a claim could not be written at
 * all (no grant, no bucket): Validate then claims instead.
 */
export class FastPathAuthenticator implements RequestAuthenticator {
  readonly #validate: RequestAuthenticator;
  readonly #replay: JetStreamReplayGuard;
  readonly #callers: CallerCache;
  readonly #nowMs: () => number;
  readonly #logger: Logger;
  #state: FastPathState = "arming";
  /** Requests decided here (`fast`) and by Validate (`validated`); for tests, benchmarks and health info. */
  readonly counts = { fast: 0, validated: 0 };

  constructor(options: FastPathOptions) {
    this.#validate = options.validate;
    this.#replay = options.replay;
    this.#callers = options.callers ?? new CallerCache();
    this.#nowMs = options.nowMs;
    this.#logger = options.logger ?? silentLogger;
  }

  get state(): FastPathState {
    return this.#state;
  }

  /**
   * Subscribes to `events.v1.Auth.Sessions.Revoked` and waits for the
   * server's verdict (a refused subscription arrives before the flush's
   * PONG); only then may cached callers be used.
   */
  async arm(nc: NatsConnection): Promise<FastPathState> {
    dropOnRevocation(nc, this.#callers, this.#logger, () => this.#turnOff("no permission to hear revocations"));
    try {
      await nc.flush();
    } catch {
      this.#turnOff("the connection closed while arming");
    }
    if (this.#state === "arming") this.#state = "armed";
    return this.#state;
  }

  /** Revocations may have been missed while disconnected. */
  forgetCallers(): void {
    this.#callers.clear();
  }

  async authenticate(request: ValidateRequest): Promise<Result<ValidateResponse, AuthenticationError>> {
    // 1. The receiver's hash must be a SHA-256 digest.
    const hash = base64urlDecode(request.payloadHash, KEY_BYTES);
    if (hash.isErr()) return deny("invalid_signature");
    // 2. Freshness.
    const now = this.#nowMs();
    if (!isFresh(request.iat, now)) return deny("iat_out_of_range");
    // 3. The proof, always.
    const fields = { ...request, payloadHash: hash.value };
    if (request.requestId === "" || !(await verifyRequestProof(fields, request.proof))) {
      return deny("invalid_signature");
    }
    const caller = this.#state === "armed" ? this.#callers.lookup(request.sessionKey, request.subject) : undefined;
    if (caller === undefined) return this.#viaValidate(request);

    // 4. Replay, in the shared bucket, only after the proof verified.
    const keepUntilMs = Math.max(now, request.iat * 1000) + IAT_SKEW_SECONDS * 1000;
    const claim = await this.#replay.tryClaim(replayKey(request.sessionKey, request.requestId), keepUntilMs);
    if (claim === "unwritten") {
      // Nothing was stored, so Validate can still claim the key: correctness holds, only speed is lost.
      this.#turnOff("replay claims cannot be written");
      return this.#viaValidate(request);
    }
    this.counts.fast++;
    if (claim === "replayed") return deny("invalid_signature", "request-id already used");
    if (claim === "unknown") {
      return err(new UnexpectedError({ context: { reason: "replay cache unavailable; request refused" } }));
    }
    // 7. Capabilities (all-of) against the cached caller.
    const held = new Set(caller.capabilities);
    const allowed = (request.capabilities ?? []).every((capability) => held.has(capability));
    return ok({ allowed, inboxPrefix: inboxPrefix(request.sessionKey), caller });
  }

  async #viaValidate(request: ValidateRequest): Promise<Result<ValidateResponse, AuthenticationError>> {
    const generation = this.#callers.generation;
    this.counts.validated++;
    const answer = await this.#validate.authenticate(request);
    if (answer.isOk() && this.#state === "armed") {
      this.#callers.remember(
        request.sessionKey,
        answer.value.caller,
        request.subject,
        answer.value.allowed,
        generation,
      );
    }
    return answer;
  }

  #turnOff(why: string): void {
    if (this.#state === "off") return;
    this.#state = "off";
    this.#callers.clear();
    this.#logger.warn({ why }, "request authentication fast path off: every request is validated by the control plane");
  }
}

function deny(reason: string, detail?: string): Result<never, AuthError> {
  return err(new AuthError(reason, detail === undefined ? {} : { context: { detail } }));
}
