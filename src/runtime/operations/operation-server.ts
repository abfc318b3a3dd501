import { jetstream } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import {
  AsyncResult,
  Err,
  err,
  Ok,
  ok,
  OperationMismatchError,
  OperationNotFoundError,
  TrellisError,
  UnexpectedError,
  ValidationError,
  wildcardSubject,
  type KVError,
  type OperationSurface,
  type Result,
} from "../../contracts/index.ts";
import { InFlight } from "../lifecycle/in-flight.ts";
import { formatTraceparent, parseTraceparent } from "../observability/trace-context.ts";
import type { RpcContext } from "../rpc/rpc-server.ts";
import { admitRequest } from "../rpc/inbound-request.ts";
import { RpcReplier } from "../rpc/rpc-replier.ts";
import { HEADER, readHeader } from "../wire/headers.ts";
import { encodeJson } from "../wire/json-body.ts";
import { replyAllowed } from "../wire/reply-guard.ts";
import { newRequestId } from "../wire/request-id.ts";
import { isDeferred, OperationHandle } from "./active-operation.ts";
import type { OperationStateBinding } from "./operation-binding.ts";
import { ControlRequestHandler, type ControlContext } from "./operation-control.ts";
import { principalOf } from "./operation-ownership.ts";
import { OperationStore } from "./operation-store.ts";
import { KEEPALIVE_INTERVAL_MS, STREAM_LIFETIME_MS, type StreamTiming } from "./operation-stream.ts";
import type { ActiveOperation, SignalInputs } from "./operation-types.ts";
import { isTerminal, type AcceptedEnvelope, type OperationRecord, type WireSnapshot } from "./operation-wire.ts";

/** The runtime's view of a handler: `client` and `deps` are added by the service's registration wrapper. */
export type ServedOperationHandler = (args: {
  input: unknown;
  context: RpcContext;
  op: ActiveOperation<unknown, unknown, SignalInputs>;
}) => unknown;

export type OperationServerOptions = Omit<ControlContext, "nc" | "kv" | "store" | "timing"> & {
  timing?: Partial<StreamTiming>;
  /** How long `stop()` waits for running handlers; default 5000 ms. */
  shutdownGraceMs?: number;
};

/**
 * The serving side of one service's operations (operations.md §4-§7) over
 * its operation-state binding: per operation a queue subscription on
 * `<subject>` (start, processed like an RPC; accept committed before the one
 * reply; then the handler) and on `<subject>.control` (§5.2). All state is
 * in the bucket, so any instance answers any request.
 */
export class OperationServer {
  readonly #kv: KV;
  readonly #store: OperationStore;
  readonly #control: ControlContext;
  readonly #subscriptions = new Map<string, Subscription[]>();
  readonly #controls = new Set<ControlRequestHandler>();
  readonly #handles = new Set<OperationHandle>();
  readonly #inFlight = new InFlight();
  readonly #handlers = new InFlight();
  #stopping: Promise<void> | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    kv: KV,
    private readonly options: OperationServerOptions,
  ) {
    this.#kv = kv;
    this.#store = new OperationStore(kv);
    this.#control = {
      ...options,
      nc,
      kv,
      store: this.#store,
      timing: {
        keepaliveMs: options.timing?.keepaliveMs ?? KEEPALIVE_INTERVAL_MS,
        lifetimeMs: options.timing?.lifetimeMs ?? STREAM_LIFETIME_MS,
      },
    };
  }

  /** Binds the bucket without a lookup (the JetStream client asks nothing until a key is used). */
  static async bind(
    nc: NatsConnection,
    binding: OperationStateBinding,
    options: OperationServerOptions,
  ): Promise<OperationServer> {
    const kv = await new Kvm(jetstream(nc, { checkAPI: false })).open(binding.bucket, { allow_direct: true });
    return new OperationServer(nc, kv, options);
  }

  /** Operation handlers still running (a deferred one has returned). */
  get running(): number {
    return this.#handlers.size;
  }

  handle(surface: OperationSurface, handler: ServedOperationHandler): Result<void, ValidationError> {
    const at = `/operations/${surface.name}`;
    if (this.#stopping !== undefined)
      return err(new ValidationError([{ path: at, message: "the service is stopping" }]));
    if (this.#subscriptions.has(surface.name)) {
      return err(new ValidationError([{ path: at, message: "already has a handler" }]));
    }
    const control = new ControlRequestHandler(surface, this.#control);
    this.#controls.add(control);
    const subscribe = (subject: string, serve: (msg: Msg) => Promise<void>) =>
      this.nc.subscribe(subject, {
        queue: subject,
        callback: (error, msg) => {
          if (error !== null)
            return this.options.logger.error({ operation: surface.name, error }, "subscription failed");
          this.#inFlight.track(serve(msg));
        },
      });
    const subject = wildcardSubject(surface.subject);
    this.#subscriptions.set(surface.name, [
      subscribe(subject, (msg) => this.#start(surface, handler, msg)),
      subscribe(`${subject}.control`, (msg) => control.serve(msg)),
    ]);
    return ok(undefined);
  }

  /**
   * §7 control by id: loads the durable record (never creates one, never
   * re-runs the handler); works from any instance and after restarts.
   */
  control(
    surface: OperationSurface,
    operationId: string,
  ): AsyncResult<OperationHandle, OperationNotFoundError | OperationMismatchError | KVError> {
    return new AsyncResult(
      this.#store
        .read(operationId)
        .then((read): Result<OperationHandle, OperationNotFoundError | OperationMismatchError | KVError> => {
          if (read.isErr()) return err(read.error);
          if (read.value === undefined) return err(new OperationNotFoundError(operationId));
          const { snapshot } = read.value;
          if (snapshot.service !== this.options.contractId || snapshot.operation !== surface.name) {
            return err(
              new OperationMismatchError({
                operationId,
                expectedService: this.options.contractId,
                expectedOperation: surface.name,
                actualService: snapshot.service,
                actualOperation: snapshot.operation,
              }),
            );
          }
          return ok(this.#handle(surface, snapshot));
        }),
    );
  }

  /**
   * Stops taking requests, ends open watch/wait streams with
   * `stream_expired` (callers resume on another instance), and waits up to
   * `graceMs` for running handlers; the state of what is left is durable.
   */
  stop(graceMs = this.options.shutdownGraceMs ?? 5000): Promise<void> {
    this.#stopping ??= (async () => {
      await Promise.allSettled([...this.#subscriptions.values()].flat().map((s) => s.drain()));
      for (const control of this.#controls) control.endStreams();
      await this.#inFlight.settled();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.#handlers.settled(),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
      for (const handle of [...this.#handles]) handle.close();
    })();
    return this.#stopping;
  }

  #handle(surface: OperationSurface, snapshot: WireSnapshot): OperationHandle {
    const handle = new OperationHandle(this.#kv, this.#store, surface, snapshot, (h) => this.#handles.delete(h));
    if (!isTerminal(snapshot)) this.#handles.add(handle);
    return handle;
  }

  /** §5.1: admitted like an RPC, accepted durably, answered once, and only then handled. */
  async #start(surface: OperationSurface, handler: ServedOperationHandler, msg: Msg): Promise<void> {
    const { telemetry, logger } = this.options;
    const inbound = parseTraceparent(
      readHeader(msg.headers, HEADER.traceparent),
      readHeader(msg.headers, HEADER.tracestate),
    );
    const span = telemetry.startSpan(`operation.server.${surface.name}`, {
      kind: "server",
      parent: inbound,
      attributes: { "rpc.system": "nats", "rpc.method": surface.name, "messaging.destination": msg.subject },
    });
    const requestId = readHeader(msg.headers, HEADER.requestId);
    const sessionKey = readHeader(msg.headers, HEADER.sessionKey);
    const reply = new RpcReplier(msg, sessionKey, span, {
      ...this.options,
      method: surface.name,
      requestId,
    });
    let accepted: { snapshot: WireSnapshot; context: RpcContext; input: unknown } | undefined;
    try {
      const admitted = await admitRequest(msg, {
        input: surface.input,
        capabilities: surface.capabilities.call ?? [],
        authRequired: true,
        authenticator: this.options.authenticator,
      });
      if (admitted.isErr()) return reply.error(admitted.error.phase, admitted.error.error);
      if (!replyAllowed(msg.reply, sessionKey)) return reply.mismatch();
      const caller = admitted.value.caller!;
      const now = new Date().toISOString();
      const snapshot: WireSnapshot = {
        id: newRequestId(),
        service: this.options.contractId,
        operation: surface.name,
        revision: 1,
        state: "pending",
        createdAt: now,
        updatedAt: now,
      };
      const record: OperationRecord = {
        v: 1,
        snapshot,
        owner: { principal: principalOf(caller), sessionKey: admitted.value.sessionKey! },
        signalSequence: 0,
        context: {
          requestId: requestId ?? "",
          ...(inbound === undefined ? {} : { traceparent: formatTraceparent(inbound) }),
        },
      };
      const stored = await this.#store.accept(record);
      if (stored.isErr()) return reply.error("handler", stored.error);
      const envelope: AcceptedEnvelope = {
        kind: "accepted",
        ref: { id: snapshot.id, service: snapshot.service, operation: snapshot.operation },
        snapshot,
      };
      reply.success(encodeJson(envelope).orThrow());
      const context = {
        caller,
        sessionKey: admitted.value.sessionKey!,
        requestId: requestId ?? "",
        subject: msg.subject,
        traceId: span.context.traceId,
        trace: span.context,
      };
      accepted = { snapshot, context, input: admitted.value.input };
    } finally {
      span.end();
    }
    this.#handlers.track(this.#run(surface, handler, accepted.snapshot, accepted.input, accepted.context));
  }

  /** The handler, then §7's table for what it returned. */
  async #run(
    surface: OperationSurface,
    handler: ServedOperationHandler,
    snapshot: WireSnapshot,
    input: unknown,
    context: RpcContext,
  ): Promise<void> {
    const op = this.#handle(surface, snapshot);
    const log = { operation: surface.name, operationId: snapshot.id, requestId: context.requestId };
    let returned: unknown;
    try {
      returned = await handler({ input, context, op });
    } catch (cause) {
      returned = err(UnexpectedError.from(cause));
    }
    try {
      if (isDeferred(returned)) {
        const marked = await this.#store.markDeferred(snapshot.id);
        if (marked.isErr()) this.options.logger.error({ ...log, error: marked.error }, "could not mark deferred");
        return;
      }
      if (isTerminalSnapshot(returned, snapshot.id)) return;
      const outcome = returned instanceof AsyncResult ? await returned : returned;
      let done: Result<unknown, TrellisError>;
      if (outcome instanceof Err) {
        const error = outcome.error instanceof TrellisError ? outcome.error : UnexpectedError.from(outcome.error);
        done = await op.fail(error);
      } else {
        const value: unknown = outcome instanceof Ok ? outcome.value : outcome;
        if (isTerminalSnapshot(value, snapshot.id)) return;
        done = await op.complete(value);
        // An output the schema refuses is never stored; the operation fails with why rather than hanging.
        if (done.isErr() && done.error instanceof ValidationError) done = await op.fail(done.error);
      }
      if (done.isErr() && done.error.type !== "OperationAlreadyTerminalError") {
        this.options.logger.error({ ...log, error: done.error }, "operation outcome could not be committed");
      }
    } finally {
      op.close();
    }
  }
}

function isTerminalSnapshot(value: unknown, id: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { id?: unknown; state?: unknown; revision?: unknown };
  return (
    candidate.id === id && typeof candidate.revision === "number" && isTerminal({ state: String(candidate.state) })
  );
}
