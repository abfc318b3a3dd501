import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import {
  err,
  ok,
  ValidationError,
  wildcardSubject,
  type Result,
  type RpcSurface,
  type SurfaceInput,
  type SurfaceOutput,
} from "../../contracts/index.ts";
import { InFlight } from "../lifecycle/in-flight.ts";
import { silentLogger, type Logger } from "../observability/logger.ts";
import { telemetry as currentTelemetry, type Telemetry } from "../observability/telemetry.ts";
import { parseTraceparent, type TraceContext } from "../observability/trace-context.ts";
import { HEADER, readHeader } from "../wire/headers.ts";
import { encodeJson } from "../wire/json-body.ts";
import { replyAllowed } from "../wire/reply-guard.ts";
import { checkSchema } from "../wire/schema-check.ts";
import { settleHandler, type HandlerResult } from "./handler-result.ts";
import { admitRequest } from "./inbound-request.ts";
import { RpcReplier } from "./rpc-replier.ts";
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
    const reply = new RpcReplier(msg, sessionKey, span, {
      ...this.#options,
      method,
      requestId,
      logger: this.#logger,
      telemetry: this.#options.telemetry ?? currentTelemetry(),
    });
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
}

function refusal(method: string, why: string): ValidationError {
  return new ValidationError([{ path: `/rpc/${method}`, message: why }]);
}
