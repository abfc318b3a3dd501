import type { Msg } from "@nats-io/nats-core";
import { TransportError, type TrellisError } from "../../contracts/index.ts";
import type { Logger } from "../observability/logger.ts";
import type { Span, Telemetry } from "../observability/telemetry.ts";
import { errorReplyBody } from "../wire/error-reply.ts";
import { buildHeaders, HEADER, STATUS_ERROR } from "../wire/headers.ts";
import { replyAllowed } from "../wire/reply-guard.ts";
import { TRANSPORT_CODES } from "../wire/transport-errors.ts";
import type { AdmissionPhase } from "./inbound-request.ts";

export type ReplyPhase = AdmissionPhase | "handler" | "encode" | "reply";

export type ReplierContext = {
  method: string;
  requestId: string | undefined;
  serviceName: string;
  contractId: string;
  contractDigest: string;
  logger: Logger;
  telemetry: Telemetry;
};

/**
 * Sends the one reply of a request (runtime-wire.md §1.2 step 8, §1.3),
 * always through the reply-subject check of auth.md §7, and logs and counts
 * every error it sends.
 */
export class RpcReplier {
  #mismatchLogged = false;
  readonly #log: Record<string, unknown>;

  constructor(
    private readonly msg: Msg,
    private readonly sessionKey: string | undefined,
    private readonly span: Span,
    private readonly context: ReplierContext,
  ) {
    this.#log = {
      method: context.method,
      subject: msg.subject,
      requestId: context.requestId,
      traceId: span.context.traceId,
    };
  }

  /** Logs `reply_subject_mismatch` once; nothing is sent. */
  mismatch(): void {
    if (this.#mismatchLogged) return;
    this.#mismatchLogged = true;
    this.context.logger.warn(
      { ...this.#log, reason: "reply_subject_mismatch", reply: this.msg.reply, sessionKey: this.sessionKey },
      "reply subject is not under the caller's inbox prefix; nothing sent",
    );
  }

  success(body: Uint8Array): void {
    if (!replyAllowed(this.msg.reply, this.sessionKey)) return this.mismatch();
    try {
      this.msg.respond(body);
    } catch (cause) {
      // Typically max_payload: the caller still gets an answer, just not this one (§1.2 step 8).
      const failure = new TransportError(TRANSPORT_CODES.responseSendFailed, "the reply could not be sent", {
        cause,
        context: { responseBytes: body.length, causeMessage: cause instanceof Error ? cause.message : String(cause) },
      });
      this.error("reply", failure);
    }
  }

  error(phase: ReplyPhase, error: TrellisError): void {
    const { method, requestId, serviceName, contractId, contractDigest, logger, telemetry } = this.context;
    this.span.recordError(error);
    telemetry.countError({
      "trellis.surface": "rpc",
      "trellis.direction": "server",
      "trellis.operation": method,
      "trellis.phase": phase,
      "trellis.error.type": error.type,
      ...(error.type === "AuthError" && "reason" in error ? { "trellis.auth.reason": String(error.reason) } : {}),
    });
    const level = error.type === "UnexpectedError" || phase === "reply" ? "error" : "info";
    logger[level]({ ...this.#log, phase, error, errorType: error.type }, "rpc failed");
    if (!replyAllowed(this.msg.reply, this.sessionKey)) return this.mismatch();
    const body = errorReplyBody(error, {
      method,
      requestId,
      service: serviceName,
      contractId,
      contractDigest,
      traceId: this.span.context.traceId,
    });
    try {
      this.msg.respond(body, { headers: buildHeaders({ [HEADER.status]: STATUS_ERROR }) });
    } catch (cause) {
      logger.error({ ...this.#log, error: cause }, "error reply could not be sent");
    }
  }
}
