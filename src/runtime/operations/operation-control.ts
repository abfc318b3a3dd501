import type { KV } from "@nats-io/kv";
import type { Msg, NatsConnection } from "@nats-io/nats-core";
import {
  AuthError,
  err,
  ok,
  OperationMismatchError,
  OperationNotFoundError,
  UnexpectedError,
  ValidationError,
  type OperationSurface,
  type Result,
  type TrellisError,
} from "../../contracts/index.ts";
import type { Logger } from "../observability/logger.ts";
import type { Telemetry } from "../observability/telemetry.ts";
import { parseTraceparent } from "../observability/trace-context.ts";
import { admitRequest } from "../rpc/inbound-request.ts";
import type { Caller, RequestAuthenticator } from "../rpc/request-authenticator.ts";
import { errorReplyData } from "../wire/error-reply.ts";
import { HEADER, readHeader } from "../wire/headers.ts";
import { decodeJson, encodeJson } from "../wire/json-body.ts";
import { replyAllowed } from "../wire/reply-guard.ts";
import { checkSchema } from "../wire/schema-check.ts";
import { watchEvents, type LiveFeed } from "./operation-feeds.ts";
import { isOwner, principalOf } from "./operation-ownership.ts";
import type { OperationStore, ReadRecord } from "./operation-store.ts";
import { StreamTimers, streamExpired, type StreamTiming } from "./operation-stream.ts";
import {
  ControlRequestSchema,
  isTerminal,
  type ControlFrame,
  type ControlRequest,
  type StoredEvent,
} from "./operation-wire.ts";

export type ControlContext = {
  nc: NatsConnection;
  kv: KV;
  store: OperationStore;
  contractId: string;
  contractDigest: string;
  serviceName: string;
  authenticator: RequestAuthenticator;
  logger: Logger;
  telemetry: Telemetry;
  timing: StreamTiming;
};

type OutFrame = ControlFrame | { kind: "error"; error: ReturnType<typeof errorReplyData> };

/**
 * One `<subject>.control` request (operations.md §5.2): parse → authenticate
 * with the action's capability list → validate the reply subject → load the
 * record → service and operation key → ownership (§6) → the action, which
 * sends its frames. Any failure is exactly one `error` frame, and nothing is
 * ever sent to a reply outside the caller's inbox prefix (§5.4).
 */
export class ControlRequestHandler {
  readonly #streams = new Set<() => void>();

  constructor(
    private readonly surface: OperationSurface,
    private readonly context: ControlContext,
  ) {}

  /** Ends every open watch/wait with `stream_expired`, so callers resume on another instance. */
  endStreams(): void {
    for (const end of [...this.#streams]) end();
  }

  async serve(msg: Msg): Promise<void> {
    const { surface, context } = this;
    const span = context.telemetry.startSpan(`operation.control.${surface.name}`, {
      kind: "server",
      parent: parseTraceparent(readHeader(msg.headers, HEADER.traceparent), readHeader(msg.headers, HEADER.tracestate)),
      attributes: { "rpc.system": "nats", "rpc.method": surface.name, "messaging.destination": msg.subject },
    });
    const requestId = readHeader(msg.headers, HEADER.requestId);
    const sessionKey = readHeader(msg.headers, HEADER.sessionKey);
    const log = { operation: surface.name, subject: msg.subject, requestId, traceId: span.context.traceId };
    if (!replyAllowed(msg.reply, sessionKey)) {
      context.logger.warn(
        { ...log, reason: "reply_subject_mismatch", reply: msg.reply, sessionKey },
        "operation control reply subject is not under the caller's inbox prefix; nothing sent",
      );
      span.end();
      return;
    }
    const reply = msg.reply;
    const send = (frame: OutFrame): boolean => {
      const body = encodeJson(frame);
      try {
        context.nc.publish(reply, body.isOk() ? body.value : encodeJson({ kind: "keepalive" }).orThrow());
        return true;
      } catch (error) {
        context.logger.warn({ ...log, error }, "operation frame could not be sent");
        return false;
      }
    };
    const fail = (error: TrellisError): void => {
      span.recordError(error);
      context.logger[error.type === "UnexpectedError" ? "error" : "info"](
        { ...log, error, errorType: error.type },
        "operation control request failed",
      );
      send({
        kind: "error",
        error: errorReplyData(error, {
          method: surface.name,
          requestId,
          service: context.serviceName,
          contractId: context.contractId,
          contractDigest: context.contractDigest,
          traceId: span.context.traceId,
        }),
      });
    };
    try {
      const admitted = await this.#admit(msg);
      if (admitted.isErr()) return fail(admitted.error);
      const { request, caller } = admitted.value;
      const loaded = await this.#load(request.operationId, caller);
      if (loaded.isErr()) return fail(loaded.error);
      const done = await this.#act(request, caller, loaded.value, send);
      if (done.isErr()) fail(done.error);
    } catch (error) {
      fail(UnexpectedError.from(error));
    } finally {
      span.end();
    }
  }

  /** Parse (UnexpectedError / ValidationError), then authenticate with the action's list. */
  async #admit(msg: Msg): Promise<Result<{ request: ControlRequest; caller: Caller }, TrellisError>> {
    const { surface } = this;
    const parsed = decodeJson(msg.data);
    if (parsed.isErr()) return err(parsed.error);
    const action = (parsed.value as { action?: unknown } | null)?.action;
    if (typeof action !== "string" || !["get", "wait", "watch", "cancel", "signal"].includes(action)) {
      return err(new ValidationError([{ path: "/action", message: "must be get, wait, watch, cancel or signal" }]));
    }
    const checked = checkSchema(ControlRequestSchema, parsed.value);
    if (checked.isErr()) return err(checked.error);
    // Refused before anything else, and never a state change (§5.2, invariant 9).
    if (checked.value.action === "cancel" && !surface.cancel) {
      return err(new ValidationError([{ path: "/action", message: `operation ${surface.name} cannot be cancelled` }]));
    }
    const caps = surface.capabilities;
    const capabilities =
      checked.value.action === "cancel"
        ? caps.cancel
        : checked.value.action === "signal"
          ? (caps.control ?? [])
          : (caps.observe ?? caps.call ?? []);
    const admitted = await admitRequest(msg, {
      input: ControlRequestSchema,
      capabilities: capabilities ?? [],
      authRequired: true,
      authenticator: this.context.authenticator,
    });
    if (admitted.isErr()) return err(admitted.error.error);
    const caller = admitted.value.caller!;
    // auth.md §6.4: without a `cancel` list only the owning service itself may cancel (through control by id).
    if (capabilities === undefined) {
      return err(
        new AuthError("insufficient_permissions", {
          context: { requiredCapabilities: [], reason: `operation ${surface.name} declares no cancel capability` },
        }),
      );
    }
    return ok({ request: admitted.value.input, caller });
  }

  async #load(operationId: string, caller: Caller): Promise<Result<ReadRecord, TrellisError>> {
    const read = await this.context.store.read(operationId);
    if (read.isErr()) return err(read.error);
    if (read.value === undefined) return err(new OperationNotFoundError(operationId));
    const { snapshot, record } = read.value;
    if (snapshot.service !== this.context.contractId || snapshot.operation !== this.surface.name) {
      return err(
        new OperationMismatchError({
          operationId,
          expectedService: this.context.contractId,
          expectedOperation: this.surface.name,
          actualService: snapshot.service,
          actualOperation: snapshot.operation,
        }),
      );
    }
    if (!isOwner(caller, record.owner)) {
      return err(new AuthError("forbidden", { context: { operationId, reason: "the caller did not start it" } }));
    }
    return ok(read.value);
  }

  async #act(
    request: ControlRequest,
    caller: Caller,
    loaded: ReadRecord,
    send: (frame: OutFrame) => boolean,
  ): Promise<Result<void, TrellisError>> {
    const { store } = this.context;
    const id = request.operationId;
    switch (request.action) {
      case "get":
        send({ kind: "snapshot", snapshot: loaded.snapshot });
        return ok(undefined);
      case "cancel": {
        const cancelled = await store.commit(id, { type: "cancelled" });
        if (cancelled.isErr()) return err(cancelled.error);
        send({ kind: "snapshot", snapshot: cancelled.value });
        return ok(undefined);
      }
      case "signal": {
        const schemas = this.surface.signals;
        if (!Object.hasOwn(schemas, request.signal)) {
          return err(new ValidationError([{ path: "/signal", message: `is not a signal of ${this.surface.name}` }]));
        }
        const input = checkSchema(schemas[request.signal], request.input);
        if (input.isErr()) {
          const issues = input.error.issues.map((issue) => ({ ...issue, path: `/input${issue.path}` }));
          return err(new ValidationError(issues));
        }
        const accepted = await store.signal(id, {
          operationId: id,
          signal: request.signal,
          ...(input.value === undefined ? {} : { input: input.value }),
          acceptedAt: new Date().toISOString(),
          principal: principalOf(caller),
        });
        if (accepted.isErr()) return err(accepted.error);
        const { stored, snapshot } = accepted.value;
        send({
          kind: "signal-accepted",
          operationId: id,
          signal: stored.signal,
          signalSequence: stored.sequence,
          acceptedAt: stored.acceptedAt,
          snapshot,
        });
        return ok(undefined);
      }
      case "watch":
      case "wait":
        return this.#stream(request, send);
    }
  }

  /**
   * watch / wait (§5.2, §5.3): the live feed first, then the snapshot, then
   * events after it in order; the stream ends after the terminal event, or
   * with `stream_expired` before the response permission runs out.
   */
  async #stream(
    request: Extract<ControlRequest, { action: "watch" | "wait" }>,
    send: (frame: OutFrame) => boolean,
  ): Promise<Result<void, TrellisError>> {
    const watch = request.action === "watch";
    const events = request.action === "watch" || request.includeProgress === true;
    const buffered: StoredEvent[] = [];
    let deliver: ((event: StoredEvent) => void) | undefined;
    const feed = await watchEvents(this.context.kv, request.operationId, (event) =>
      deliver === undefined ? buffered.push(event) : deliver(event),
    );
    if (feed.isErr()) return err(feed.error);
    const read = await this.context.store.read(request.operationId);
    if (read.isErr() || read.value === undefined) {
      feed.value.stop();
      return read.isErr() ? err(read.error) : err(new OperationNotFoundError(request.operationId));
    }
    const snapshot = read.value.snapshot;
    if (isTerminal(snapshot) || watch) send({ kind: "snapshot", snapshot });
    if (isTerminal(snapshot)) {
      feed.value.stop();
      return ok(undefined);
    }
    return ok(await this.#forward(feed.value, snapshot.revision, buffered, events, watch, send, (d) => (deliver = d)));
  }

  #forward(
    feed: LiveFeed,
    after: number,
    buffered: StoredEvent[],
    events: boolean,
    watch: boolean,
    send: (frame: OutFrame) => boolean,
    subscribe: (deliver: (event: StoredEvent) => void) => void,
  ): Promise<void> {
    return new Promise<void>((resolve) => {
      let last = after;
      let ended = false;
      const end = () => {
        ended = true;
        timers.stop();
        feed.stop();
        this.#streams.delete(expire);
        resolve();
      };
      const expire = () => {
        if (ended) return;
        send({ kind: "error", error: streamExpired().toJSON() });
        end();
      };
      const timers = new StreamTimers(this.context.timing, () => send({ kind: "keepalive" }), expire);
      this.#streams.add(expire);
      const deliver = (stored: StoredEvent) => {
        if (ended || stored.sequence <= last) return;
        last = stored.sequence;
        if (events) send({ kind: "event", sequence: stored.sequence, event: stored.event });
        const terminal = isTerminal(stored.event.snapshot);
        if (terminal && !watch) send({ kind: "snapshot", snapshot: stored.event.snapshot });
        timers.sent();
        if (terminal) end();
      };
      for (const stored of buffered.splice(0)) deliver(stored);
      subscribe(deliver);
    });
  }
}
