import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { verifyConnectToken, type Logger } from "../../runtime/index.ts";
import { admitConnection, type Admission } from "../sessions/connect.ts";
import { deny, type Denial } from "../sessions/principal.ts";
import { recordDenial, recordPresence, touchUserSession, writeServiceSession } from "../sessions/bookkeeping.ts";
import type { AuthStore } from "../store/auth-store.ts";
import type { Admission as AdmissionControl } from "./admission.ts";
import { openRequest, type CalloutRequest } from "./request.ts";
import type { CalloutResponder } from "./respond.ts";

export const CALLOUT_SUBJECT = "$SYS.REQ.USER.AUTH";
export const CALLOUT_QUEUE = "trellis";

export type CalloutDeps = {
  store: AuthStore;
  responder: CalloutResponder;
  admission: AdmissionControl;
  logger: Logger;
  sessionTtlSeconds: number;
  nowMs?: () => number;
};

/**
 * The auth callout responder (auth.md §5): one queue-group subscription on
 * `$SYS.REQ.USER.AUTH` shared by every replica; each request is handled
 * concurrently. Steps: open the request, admission control, the token, the
 * principal, the subjects, respond; then bookkeeping (presence, lastAuth,
 * the last denial) off the response path.
 */
export class CalloutService {
  readonly #nc: NatsConnection;
  readonly #deps: CalloutDeps;
  readonly #now: () => number;
  readonly #inFlight = new Set<Promise<void>>();
  #subscription: Subscription | undefined;

  constructor(nc: NatsConnection, deps: CalloutDeps) {
    this.#nc = nc;
    this.#deps = deps;
    this.#now = deps.nowMs ?? Date.now;
  }

  start(): void {
    this.#subscription = this.#nc.subscribe(CALLOUT_SUBJECT, {
      queue: CALLOUT_QUEUE,
      callback: (error, msg) => {
        if (error !== null) {
          this.#deps.logger.error({ error }, "callout subscription failed");
          return;
        }
        this.#track(this.handle(msg));
      },
    });
  }

  /** Stops taking requests, then waits for every answer and its bookkeeping. */
  async drain(): Promise<void> {
    await this.#subscription?.drain();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async handle(msg: Msg): Promise<void> {
    const logger = this.#deps.logger;
    const startedMs = performance.now();
    const opened = openRequest(msg.data, msg.headers?.get("Nats-Server-Xkey") || undefined, this.#deps.responder.xkey);
    if (opened.isErr()) {
      // Nothing verified to seal an answer for: an empty reply makes the server deny at once.
      logger.warn({ problem: opened.error }, "callout request unusable; denied without an answer");
      msg.respond(new Uint8Array());
      return;
    }
    const request = opened.value;
    try {
      const nowMs = this.#now();
      if (!this.#deps.admission.admit(request.clientHost, request.serverId, nowMs)) {
        return await this.#deny(msg, request, deny("rate_limited"), undefined);
      }
      const { sessionKey, contractDigest } = claimedFields(request.authToken);
      const token = await verifyConnectToken(request.authToken, nowMs);
      if (token.isErr()) {
        return await this.#deny(msg, request, deny(token.error), { sessionKey, contractDigest });
      }
      const admitted = await admitConnection(this.#deps.store, token.value, nowMs, this.#deps.sessionTtlSeconds);
      if (admitted.isErr()) return await this.#deny(msg, request, admitted.error, { sessionKey, contractDigest });
      await this.#allow(msg, request, admitted.value, nowMs, startedMs);
    } catch (error) {
      logger.error({ error, serverId: request.serverId }, "callout failed unexpectedly");
      await this.#deny(msg, request, deny("internal_error"), undefined).catch(() => undefined);
    }
  }

  async #allow(
    msg: Msg,
    request: CalloutRequest,
    admission: Admission,
    nowMs: number,
    startedMs: number,
  ): Promise<void> {
    const { store, responder, logger } = this.#deps;
    // A service's session must exist before it can make its first call, so it is written before the answer.
    if (admission.kind === "service") {
      const written = await writeServiceSession(store, admission);
      if (written.isErr()) return this.#deny(msg, request, written.error, admission);
    }
    const jwt = await responder.userJwt(request, admission, Math.floor(nowMs / 1000));
    msg.respond(await responder.allow(request, jwt));
    logger.info(
      {
        sessionKey: admission.sessionKey,
        kind: admission.kind,
        principal: admission.scopeId,
        contractDigest: admission.session.contractDigest,
        serverId: request.serverId,
        clientId: request.clientId,
        elapsedMs: Math.round((performance.now() - startedMs) * 100) / 100,
      },
      "connection admitted",
    );
    this.#track(
      (async () => {
        await recordPresence(store, admission, request, nowMs, logger);
        if (admission.kind === "user") await touchUserSession(store, admission, logger);
      })(),
    );
  }

  async #deny(
    msg: Msg,
    request: CalloutRequest,
    denial: Denial,
    claimed: { sessionKey?: string | undefined; contractDigest?: string | undefined } | undefined,
  ): Promise<void> {
    const { responder, logger, store } = this.#deps;
    msg.respond(await responder.deny(request, denial.reason));
    logger.info(
      {
        reason: denial.reason,
        detail: denial.detail,
        sessionKey: claimed?.sessionKey,
        contractDigest: claimed?.contractDigest,
        serverId: request.serverId,
        clientHost: request.clientHost,
      },
      "connection denied",
    );
    if (denial.reason === "rate_limited") return; // recording every flood attempt would be the flood's amplifier
    this.#track(recordDenial(store, denial.reason, request, claimed ?? {}, this.#now(), logger));
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }
}

/**
 * Who a token claims to be, read leniently (any JSON object with string
 * fields), so a denial is recorded under the session key even when the
 * token is refused for its version or a malformed field. Never trusted for
 * anything but that record.
 */
function claimedFields(authToken: string | undefined): { sessionKey?: string; contractDigest?: string } {
  if (authToken === undefined) return {};
  try {
    const value: unknown = JSON.parse(authToken);
    if (typeof value !== "object" || value === null) return {};
    const { sessionKey, contractDigest } = value as Record<string, unknown>;
    return {
      ...(typeof sessionKey === "string" ? { sessionKey } : {}),
      ...(typeof contractDigest === "string" ? { contractDigest } : {}),
    };
  } catch {
    return {};
  }
}
