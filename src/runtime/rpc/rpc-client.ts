import type { Msg, MsgHdrs, NatsConnection } from "@nats-io/nats-core";
import {
  AsyncResult,
  err,
  fillSubjectTemplate,
  ok,
  AuthError,
  RemoteError,
  TransportError,
  type Result,
  type RpcSurface,
  type SurfaceInput,
  type SurfaceOutput,
  type TrellisError,
} from "../../contracts/index.ts";
import { ServerClock } from "../auth/server-clock.ts";
import { newRequestId } from "../wire/request-id.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import { signRequest } from "../auth/request-proof.ts";
import { buildHeaders, HEADER, readHeader, STATUS_ERROR } from "../wire/headers.ts";
import { decodeJson, encodeJson } from "../wire/json-body.ts";
import { checkSchema } from "../wire/schema-check.ts";
import { decodeErrorBody } from "../wire/error-decode.ts";
import { TRANSPORT_CODES, transportErrorFor } from "../wire/transport-errors.ts";
import { telemetry as currentTelemetry, type Span, type Telemetry } from "../observability/telemetry.ts";
import { traceHeaders, type TraceContext } from "../observability/trace-context.ts";
import type { RpcCallError } from "./rpc-types.ts";
import { requesterFor } from "../wire/requester.ts";

export const DEFAULT_RPC_TIMEOUT_MS = 3000;
/** No-responders resends (runtime-wire.md §1.1): 2 retries, waiting 200 ms × attempt. */
export const NO_RESPONDERS_RETRIES = 2;
export const NO_RESPONDERS_BACKOFF_MS = 200;

export type RpcClientOptions = {
  keys: SessionKeys;
  clock?: ServerClock;
  timeoutMs?: number;
  telemetry?: Telemetry;
};

export type RpcCallOptions = {
  timeoutMs?: number;
  /** Aborting ends the call at once with TransportError `trellis.request.failed` (`context.aborted`). */
  signal?: AbortSignal | undefined;
  /** The trace this call belongs to (a handler's context, say); else the active OpenTelemetry span, else a new trace. */
  trace?: TraceContext | undefined;
};

/**
 * The caller side of an RPC (runtime-wire.md §1.1, §1.7). Every call is
 * validated and encoded locally, signed with a fresh `request-id` and proof,
 * and returns an AsyncResult that never rejects. The connection must have
 * been opened with `inboxPrefix` = the session's prefix: replies come back on
 * the connection's request inbox under it (wire/requester.ts).
 */
export class RpcClient {
  readonly #nc: NatsConnection;
  readonly #keys: SessionKeys;
  readonly #clock: ServerClock;
  readonly #timeoutMs: number;
  readonly #telemetry: Telemetry | undefined;

  constructor(nc: NatsConnection, options: RpcClientOptions) {
    this.#nc = nc;
    this.#keys = options.keys;
    this.#clock = options.clock ?? new ServerClock();
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    this.#telemetry = options.telemetry;
  }

  get sessionKey(): string {
    return this.#keys.sessionKey;
  }

  call<S extends RpcSurface>(
    surface: S,
    input: SurfaceInput<S>,
    options: RpcCallOptions = {},
  ): AsyncResult<SurfaceOutput<S>, RpcCallError<S>> {
    return new AsyncResult(this.#call(surface, input, options)) as AsyncResult<SurfaceOutput<S>, RpcCallError<S>>;
  }

  async #call<S extends RpcSurface>(
    surface: S,
    input: unknown,
    options: RpcCallOptions,
  ): Promise<Result<SurfaceOutput<S>, TrellisError>> {
    const checked = checkSchema(surface.input, input);
    if (checked.isErr()) return err(checked.error.withContext({ method: surface.name, phase: "encode input" }));
    const body = encodeJson(checked.value);
    if (body.isErr()) return err(body.error);
    const subject = surface.subject.includes("{")
      ? fillSubjectTemplate(surface.subject, checked.value)
      : ok(surface.subject);
    if (subject.isErr()) return err(subject.error);

    const requestId = newRequestId();
    const proof = await signRequest(this.#keys, {
      subject: subject.value,
      body: body.value,
      iat: this.#clock.iat(),
      requestId,
    });
    const span = (this.#telemetry ?? currentTelemetry()).startSpan(`rpc.client.${surface.name}`, {
      kind: "client",
      parent: options.trace,
      attributes: { "rpc.system": "nats", "rpc.method": surface.name, "messaging.destination": subject.value },
    });
    const headers = buildHeaders({ ...proof, ...traceHeaders(span.context) });
    try {
      const reply = await this.#request(
        subject.value,
        body.value,
        headers,
        options.timeoutMs ?? this.#timeoutMs,
        options.signal,
      );
      const telemetry = this.#telemetry ?? currentTelemetry();
      if (reply.isErr()) {
        return endWith(
          span,
          telemetry,
          surface.name,
          "request",
          err(reply.error.withContext({ method: surface.name, requestId })),
        );
      }
      return endWith(span, telemetry, surface.name, "reply", readReply(surface, reply.value));
    } finally {
      span.end();
    }
  }

  /** Sends one logical request; resends identical bytes and headers only on no-responders. */
  async #request(
    subject: string,
    body: Uint8Array,
    headers: MsgHdrs,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Result<Msg, TransportError>> {
    const deadline = Date.now() + timeoutMs;
    const requester = requesterFor(this.#nc);
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return err(transportErrorFor("timeout", undefined, { subject, attempts: attempt }));
      const reply = await requester.request(subject, body, { timeoutMs: remaining, headers, signal });
      if (reply.isOk()) return ok(reply.value);
      const { kind, cause } = reply.error;
      if (kind === "aborted") return err(aborted(subject, attempt + 1));
      const wait = NO_RESPONDERS_BACKOFF_MS * (attempt + 1);
      if (kind !== "no_responders" || attempt >= NO_RESPONDERS_RETRIES || Date.now() + wait >= deadline) {
        return err(transportErrorFor(kind, cause, { subject, attempts: attempt + 1 }));
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function aborted(subject: string, attempts: number): TransportError {
  return new TransportError(TRANSPORT_CODES.failed, "the call was aborted", {
    context: { subject, attempts, aborted: true },
  });
}

/** §1.7 steps 5-6: an error reply becomes the declared error (or RemoteError); a success is parsed and validated. */
function readReply<S extends RpcSurface>(surface: S, reply: Msg): Result<SurfaceOutput<S>, TrellisError> {
  if (readHeader(reply.headers, HEADER.status) === STATUS_ERROR) return err(decodeErrorBody(reply.data, surface));
  const parsed = decodeJson(reply.data);
  if (parsed.isErr()) {
    return err(
      new TransportError(TRANSPORT_CODES.invalidResponse, "the reply is not JSON", { cause: parsed.error.cause }),
    );
  }
  const output = checkSchema<S["output"]>(surface.output, parsed.value);
  return output.isOk()
    ? ok(output.value)
    : err(output.error.withContext({ method: surface.name, phase: "decode output" }));
}

/** Records a failed call on its span and in the `trellis.errors` counter (labels only, §5). */
function endWith<T>(
  span: Span,
  telemetry: Telemetry,
  method: string,
  phase: "request" | "reply",
  result: Result<T, TrellisError>,
): Result<T, TrellisError> {
  if (result.isErr()) {
    const error = result.error;
    span.recordError(error);
    telemetry.countError({
      "trellis.surface": "rpc",
      "trellis.direction": "client",
      "trellis.operation": method,
      "trellis.phase": phase,
      "trellis.error.type": error.type,
      ...(error instanceof RemoteError ? { "trellis.remote_error.type": error.remoteError.type } : {}),
      ...(error instanceof AuthError ? { "trellis.auth.reason": error.reason } : {}),
    });
  }
  return result;
}
