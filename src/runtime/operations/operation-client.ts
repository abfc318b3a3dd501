import { createInbox, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import * as v from "valibot";
import {
  AsyncResult,
  err,
  type AuthError,
  inboxPrefix,
  ok,
  TransportError,
  ValidationError,
  type OperationSurface,
  type Result,
  type RpcSurface,
  type TrellisError,
} from "../../contracts/index.ts";
import { signRequest } from "../auth/request-proof.ts";
import { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import { FrameQueue } from "../feeds/frame-queue.ts";
import { traceHeaders, type TraceContext } from "../observability/trace-context.ts";
import { DEFAULT_RPC_TIMEOUT_MS, type RpcClient } from "../rpc/rpc-client.ts";
import { decodeErrorData } from "../wire/error-decode.ts";
import { buildHeaders, isNoRespondersStatus } from "../wire/headers.ts";
import { decodeJson, encodeJson } from "../wire/json-body.ts";
import { newRequestId } from "../wire/request-id.ts";
import { checkSchema } from "../wire/schema-check.ts";
import { TRANSPORT_CODES } from "../wire/transport-errors.ts";
import { OperationRefImpl } from "./operation-ref.ts";
import type { CallError, CallOptions, OperationClient, OperationRef, SignalInputs } from "./operation-types.ts";
import {
  AcceptedEnvelopeSchema,
  ControlFrameSchema,
  type ControlFrame,
  type ControlRequest,
  type WireSnapshot,
} from "./operation-wire.ts";

/** §5.3: a stream silent this long is re-issued (after a fresh `get`). */
export const SILENCE_RESUME_MS = 45_000;

/** The errors an operation's start and control frames may carry; others reach the caller as RemoteError. */
export const OPERATION_ERRORS = {
  errors: [
    "AuthError",
    "ValidationError",
    "UnexpectedError",
    "TransportError",
    "KVError",
    "OperationNotFoundError",
    "OperationAlreadyTerminalError",
    "OperationMismatchError",
  ],
  errorClasses: {},
} as const;

/** The frames of one control request, in order; `undefined` when none came within the wait. */
export interface ControlStream {
  next(timeoutMs: number): Promise<Result<ControlFrame, TrellisError> | "ended" | undefined>;
  close(): void;
}

export type OperationCallerOptions = {
  keys: SessionKeys;
  clock?: ServerClock | undefined;
  timeoutMs?: number | undefined;
  /** §5.3's 45 s; smaller in tests. */
  silenceMs?: number | undefined;
};

/**
 * The calling side of operations (operations.md §1, §5): start through the
 * RPC client (it is processed exactly like an RPC), control requests on
 * `<subject>.control` with their own inbox under the session prefix, so a
 * stream's frames arrive in order on one subscription.
 */
export class OperationCaller {
  readonly timeoutMs: number;
  readonly silenceMs: number;
  readonly #clock: ServerClock;

  constructor(
    private readonly nc: NatsConnection,
    private readonly rpc: RpcClient,
    private readonly options: OperationCallerOptions,
  ) {
    this.#clock = options.clock ?? new ServerClock();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    this.silenceMs = options.silenceMs ?? SILENCE_RESUME_MS;
  }

  client(
    surface: OperationSurface,
    trace: TraceContext | undefined,
  ): OperationClient<unknown, unknown, unknown, SignalInputs> {
    // The start reply carries only the built-in errors of an RPC (auth, validation, unexpected, transport).
    const start = (input: unknown, options: CallOptions = {}) =>
      this.start(surface, input, options, trace) as AsyncResult<
        OperationRef<unknown, unknown, SignalInputs>,
        CallError | AuthError
      >;
    return Object.freeze({
      start,
      input: (input: unknown) => Object.freeze({ start: (options?: CallOptions) => start(input, options) }),
      resume: (operationId: string) => this.ref(surface, operationId, trace),
    });
  }

  ref(
    surface: OperationSurface,
    id: string,
    trace: TraceContext | undefined,
  ): OperationRef<unknown, unknown, SignalInputs> {
    return new OperationRefImpl(this, surface, id, trace);
  }

  start(
    surface: OperationSurface,
    input: unknown,
    options: CallOptions,
    trace: TraceContext | undefined,
  ): AsyncResult<OperationRef<unknown, unknown, SignalInputs>, TrellisError> {
    const rpc: RpcSurface = {
      kind: "rpc",
      contractId: surface.contractId,
      name: surface.name,
      subject: surface.subject,
      capabilities: { call: surface.capabilities.call ?? [] },
      input: surface.input,
      output: undefined,
      errors: OPERATION_ERRORS.errors,
      errorClasses: {},
    };
    return this.rpc.call(rpc, input as never, { ...options, trace }).andThen((reply: unknown) => {
      const envelope = v.safeParse(AcceptedEnvelopeSchema, reply);
      if (!envelope.success || envelope.output.ref.operation !== surface.name) {
        return err(
          new TransportError(TRANSPORT_CODES.invalidResponse, "the start reply is not an accepted envelope", {
            context: { operation: surface.name },
          }),
        );
      }
      return ok(this.ref(surface, envelope.output.ref.id, trace));
    });
  }

  /** Sends one signed control request with a fresh inbox as its reply; frames are read from the stream. */
  async open(
    surface: OperationSurface,
    request: ControlRequest,
    trace: TraceContext | undefined,
  ): Promise<Result<ControlStream, TrellisError>> {
    const body = encodeJson(request);
    if (body.isErr()) return err(body.error);
    const subject = surface.controlSubject;
    const proof = await signRequest(this.options.keys, {
      subject,
      body: body.value,
      iat: this.#clock.iat(),
      requestId: newRequestId(),
    });
    const frames = new FrameQueue();
    const inbox = createInbox(inboxPrefix(this.options.keys.sessionKey));
    let subscription: Subscription;
    try {
      subscription = this.nc.subscribe(inbox, {
        callback: (error, msg) => (error === null ? frames.push({ msg }) : frames.end("closed")),
      });
      this.nc.publish(subject, body.value, {
        reply: inbox,
        headers: buildHeaders({ ...proof, ...traceHeaders(trace) }),
      });
    } catch (cause) {
      return err(new TransportError(TRANSPORT_CODES.failed, "the control request could not be sent", { cause }));
    }
    const context = { operation: surface.name, action: request.action, operationId: request.operationId };
    return ok({
      next: async (timeoutMs) => {
        const frame = await frames.next(timeoutMs);
        if (frame === undefined) return undefined;
        if ("end" in frame) return "ended";
        if (isNoRespondersStatus(frame.msg)) {
          return err(new TransportError(TRANSPORT_CODES.unavailable, "no service serves this operation", { context }));
        }
        const parsed = decodeJson(frame.msg.data).andThen((value) => checkSchema(ControlFrameSchema, value));
        if (parsed.isErr()) {
          return err(new TransportError(TRANSPORT_CODES.invalidResponse, "not an operation frame", { context }));
        }
        if (parsed.value.kind === "error") return err(decodeErrorData(parsed.value.error, OPERATION_ERRORS));
        return ok(parsed.value);
      },
      close: () => {
        if (!subscription.isClosed()) subscription.unsubscribe();
        frames.end("closed");
      },
    });
  }
}

/** The snapshot with its payloads checked against the surface's schemas. */
export function checkSnapshot(
  surface: OperationSurface,
  snapshot: WireSnapshot,
): Result<WireSnapshot, ValidationError> {
  if (snapshot.progress !== undefined && surface.progress !== undefined) {
    const progress = checkSchema(surface.progress, snapshot.progress);
    if (progress.isErr()) return err(progress.error.withContext({ operation: surface.name, at: "/progress" }));
  }
  if (snapshot.output !== undefined) {
    const output = checkSchema(surface.output, snapshot.output);
    if (output.isErr()) return err(output.error.withContext({ operation: surface.name, at: "/output" }));
  }
  return ok(snapshot);
}
