import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import {
  err,
  ok,
  TransportError,
  ValidationError,
  wildcardSubject,
  type Result,
  type RpcSurface,
  type SurfaceInput,
  type SurfaceOutput,
  type TrellisError,
} from "../../contracts/index.ts";
import { InFlight } from "../lifecycle/in-flight.ts";
import { silentLogger, type Logger } from "../observability/logger.ts";
import { telemetry as currentTelemetry, type Span, type Telemetry } from "../observability/telemetry.ts";
import { parseTraceparent, type TraceContext } from "../observability/trace-context.ts";
import { errorReplyBody } from "../wire/error-reply.ts";
import { buildHeaders, HEADER, readHeader, STATUS_ERROR } from "../wire/headers.ts";
import { encodeJson } from "../wire/json-body.ts";
import { replyAllowed } from "../wire/reply-guard.ts";
import { checkSchema } from "../wire/schema-check.ts";
import { TRANSPORT_CODES } from "../wire/transport-errors.ts";
import { settleHandler, type HandlerResult } from "./handler-result.ts";
import { admitRequest, type AdmissionPhase } from "./inbound-request.ts";
import type { Caller, RequestAuthenticator } from "./request-authenticator.ts";

/** What a handler learns about the request (runtime-wire.md §1.2 step 6). */
export type RpcContext = {
  caller: Caller;
  sessionKey: string;
  requestId: string;
  /** The subject the request arrived on. */
  subject: string;
  /** The trace id of the server span; downstream calls continue `trace`. */
  traceId: string;
  trace: TraceContext;
};

/** The context of an internal `authRequired: false` method: no caller was established. */
export type InternalRpcContext = Omit<RpcContext, "caller" | "sessionKey" | "requestId"> & {
  caller: undefined;
  sessionKey: string | undefined;
  requestId: string | undefined;
};

export type RpcHandler<S extends RpcSurface, TContext = RpcContext> = (args: {
  input: SurfaceInput<S>;
  context: TContext;
}) => HandlerResult<SurfaceOutput<S>>;

export type RpcServerOptions = {
  contractId: string;
  contractDigest: string;
  serviceName: string;
  authenticator: RequestAuthenticator;
  logger?: Logger;
  telemetry?: Telemetry;
};

type Phase = AdmissionPhase | "handler" | "encode" | "reply";

/**
 * The serving side of RPCs (runtime-wire.md §1.2-§1.4): one queue-group
 * subscription per method (queue = subject), steps 1-8 per message, errors
 * on the wire as `status: error` plus one serialized Trellis error.
 */
export class RpcServer {
  readonly #nc: NatsConnection;
  readonly #options: RpcServerOptions;
  readonly #logger: Logger;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #inFlight = new InFlight();
  #draining: Promise<void> | undefined;

  constructor(nc: NatsConnection, options: RpcServerOptions) {
    this.#nc = nc;
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Requests accepted and not yet answered. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Serves one method. Err when the method is already served or the server is draining. */
  handle<S extends RpcSurface>(
    surface: S,
    handler: RpcHandler<S>,
    options?: { authRequired?: true },
  ): Result<void, ValidationError>;
  handle<S extends RpcSurface>(
    surface: S,
    handler: RpcHandler<S, InternalRpcContext>,
    options: { authRequired: false },
  ): Result<void, ValidationError>;
  handle<S extends RpcSurface>(
    surface: S,
    handler: RpcHandler<S, RpcContext> | RpcHandler<S, InternalRpcContext>,
    options: { authRequired?: boolean } = {},
  ): Result<void, ValidationError> {
    if (this.#draining !== undefined) return err(refusal(surface.name, "the server is draining"));
    if (this.#subscriptions.has(surface.name)) return err(refusal(surface.name, "already has a handler"));
    const subject = wildcardSubject(surface.subject);
    const authRequired = options.authRequired ?? true;
    const subscription = this.#nc.subscribe(subject, {
      queue: subject,
      callback: (error, msg) => {
        if (error !== null) {
          this.#logger.error({ method: surface.name, subject, error }, "rpc subscription failed");
          return;
        }
        this.#inFlight.track(
          this.#serve(surface, handler as RpcHandler<S, RpcContext | InternalRpcContext>, authRequired, msg),
        );
      },
    });
    this.#subscriptions.set(surface.name, subscription);
    return ok(undefined);
  }

  /** Stops taking requests (the server forgets the interest), then lets every accepted request reply. */
  drain(): Promise<void> {
    this.#draining ??= (async () => {
      await Promise.allSettled([...this.#subscriptions.values()].map((subscription) => subscription.drain()));
      await this.#inFlight.settled();
    })();
    return this.#draining;
  }

  async #serve<S extends RpcSurface>(
    surface: S,
    handler: RpcHandler<S, RpcContext | InternalRpcContext>,
    authRequired: boolean,
    msg: Msg,
  ): Promise<void> {
    const method = surface.name;
    const inbound = parseTraceparent(
      readHeader(msg.headers, HEADER.traceparent),
      readHeader(msg.headers, HEADER.tracestate),
    );
    const span = (this.#options.telemetry ?? currentTelemetry()).startSpan(`rpc.server.${method}`, {
      kind: "server",
      parent: inbound,
      attributes: { "rpc.system": "nats", "rpc.method": method, "messaging.destination": msg.subject },
    });
    const requestId = readHeader(msg.headers, HEADER.requestId);
    const sessionKey = readHeader(msg.headers, HEADER.sessionKey);
    const log = { method, subject: msg.subject, requestId };
    const reply = new Replier(this, msg, sessionKey, span, { ...log, traceId: span.context.traceId });
    try {
      const admitted = await admitRequest(msg, {
        input: surface.input,
        capabilities: surface.capabilities.call ?? [],
        authRequired,
        authenticator: this.#options.authenticator,
      });
      if (admitted.isErr()) return reply.error(admitted.error.phase, admitted.error.error);
      // Step 5: only now is the handler worth running; the replier would refuse the send anyway.
      if (!replyAllowed(msg.reply, sessionKey)) return reply.mismatch();

      const context = {
        caller: admitted.value.caller,
        sessionKey: admitted.value.sessionKey,
        requestId,
        subject: msg.subject,
        traceId: span.context.traceId,
        trace: span.context,
      } as RpcContext;
      const result = await settleHandler(() => handler({ input: admitted.value.input as SurfaceInput<S>, context }));
      if (result.isErr()) return reply.error("handler", result.error);
      const output = checkSchema(surface.output, result.value);
      // Non-conforming output is never sent (§1.2 step 7).
      if (output.isErr())
        return reply.error(
          "encode",
          output.error.withContext({ reason: "the handler's output does not match the output schema" }),
        );
      const body = encodeJson(output.value);
      if (body.isErr()) return reply.error("encode", body.error);
      reply.success(body.value);
    } finally {
      span.end();
    }
  }

  /** @internal Used by the replier to log and count. */
  get logger(): Logger {
    return this.#logger;
  }
  /** @internal */
  get options(): RpcServerOptions {
    return this.#options;
  }
}

/** Sends the one reply of a request, always through the reply-subject check (auth.md §7). */
class Replier {
  #mismatchLogged = false;

  constructor(
    private readonly server: RpcServer,
    private readonly msg: Msg,
    private readonly sessionKey: string | undefined,
    private readonly span: Span,
    private readonly log: Record<string, unknown>,
  ) {}

  mismatch(): void {
    if (this.#mismatchLogged) return;
    this.#mismatchLogged = true;
    this.server.logger.warn(
      { ...this.log, reason: "reply_subject_mismatch", reply: this.msg.reply, sessionKey: this.sessionKey },
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

  error(phase: Phase, error: TrellisError): void {
    const { contractId, contractDigest, serviceName } = this.server.options;
    const method = String(this.log.method);
    this.span.recordError(error);
    (this.server.options.telemetry ?? currentTelemetry()).countError({
      "trellis.surface": "rpc",
      "trellis.direction": "server",
      "trellis.operation": method,
      "trellis.phase": phase,
      "trellis.error.type": error.type,
      ...(error.type === "AuthError" && "reason" in error ? { "trellis.auth.reason": String(error.reason) } : {}),
    });
    const level = error.type === "UnexpectedError" || phase === "reply" ? "error" : "info";
    this.server.logger[level]({ ...this.log, phase, error, errorType: error.type }, "rpc failed");
    if (!replyAllowed(this.msg.reply, this.sessionKey)) return this.mismatch();
    const body = errorReplyBody(error, {
      method,
      requestId: this.log.requestId as string | undefined,
      service: serviceName,
      contractId,
      contractDigest,
      traceId: this.span.context.traceId,
    });
    try {
      this.msg.respond(body, { headers: buildHeaders({ [HEADER.status]: STATUS_ERROR }) });
    } catch (cause) {
      this.server.logger.error({ ...this.log, error: cause }, "error reply could not be sent");
    }
  }
}

function refusal(method: string, why: string): ValidationError {
  return new ValidationError([{ path: `/rpc/${method}`, message: why }]);
}
