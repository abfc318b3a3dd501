import { createInbox, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import {
  AsyncResult,
  err,
  ok,
  TransportError,
  ValidationError,
  wildcardSubject,
  type FeedSurface,
  type Result,
  type SurfaceEvent,
  type SurfaceInput,
  type TrellisError,
} from "../../contracts/index.ts";
import { InFlight } from "../lifecycle/in-flight.ts";
import { silentLogger, type Logger } from "../observability/logger.ts";
import { telemetry as currentTelemetry, type Telemetry } from "../observability/telemetry.ts";
import { parseTraceparent } from "../observability/trace-context.ts";
import { settleHandler } from "../rpc/handler-result.ts";
import { admitRequest } from "../rpc/inbound-request.ts";
import type { RequestAuthenticator } from "../rpc/request-authenticator.ts";
import { errorReplyBody } from "../wire/error-reply.ts";
import { buildHeaders, FEED_READY, HEADER, isNoRespondersStatus, readHeader, STATUS_ERROR } from "../wire/headers.ts";
import { encodeJson } from "../wire/json-body.ts";
import { replyAllowed } from "../wire/reply-guard.ts";
import { checkSchema } from "../wire/schema-check.ts";
import { TRANSPORT_CODES } from "../wire/transport-errors.ts";
import type { FeedContext, FeedHandler } from "./feed-types.ts";

export type FeedServerOptions = {
  contractId: string;
  contractDigest: string;
  serviceName: string;
  authenticator: RequestAuthenticator;
  /** The service's own inbox prefix: frames carry a reply under it, so NATS reports a subscriber that left. */
  inboxPrefix: string;
  logger?: Logger;
  telemetry?: Telemetry;
};

/**
 * The serving side of feeds (runtime-wire.md §4): the RPC checks with the
 * feed's `subscribe` capabilities, a ready frame, one data frame per `emit()`,
 * an error frame on setup failure or handler Err/throw.
 *
 * v1 has no cancel message, but every frame is published with a reply
 * subject under the service's inbox: when the subscriber has gone, NATS
 * answers that reply with a no-responders status, and the handler's signal
 * is aborted. Frame kinds and bodies are unchanged; receivers ignore the reply.
 */
export class FeedServer {
  readonly #nc: NatsConnection;
  readonly #options: FeedServerOptions;
  readonly #logger: Logger;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #active = new Map<string, AbortController>();
  readonly #inFlight = new InFlight();
  readonly #probeRoot: string;
  #probe: Subscription | undefined;
  #stopping: Promise<void> | undefined;
  #nextId = 0;

  constructor(nc: NatsConnection, options: FeedServerOptions) {
    this.#nc = nc;
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#probeRoot = createInbox(options.inboxPrefix);
  }

  /** Feeds currently being served. */
  get active(): number {
    return this.#active.size;
  }

  handle<S extends FeedSurface>(surface: S, handler: FeedHandler<S>): Result<void, ValidationError> {
    const at = `/feeds/${surface.name}`;
    if (this.#stopping !== undefined)
      return err(new ValidationError([{ path: at, message: "the server is stopping" }]));
    if (this.#subscriptions.has(surface.name)) {
      return err(new ValidationError([{ path: at, message: "already has a handler" }]));
    }
    this.#probe ??= this.#nc.subscribe(`${this.#probeRoot}.*`, {
      callback: (error, msg) => {
        if (error === null && isNoRespondersStatus(msg)) {
          this.#active.get(msg.subject.slice(this.#probeRoot.length + 1))?.abort(new Error("the subscriber has gone"));
        }
      },
    });
    const subject = wildcardSubject(surface.subject);
    const subscription = this.#nc.subscribe(subject, {
      queue: subject,
      callback: (error, msg) => {
        if (error !== null) return this.#logger.error({ feed: surface.name, error }, "feed subscription failed");
        this.#inFlight.track(this.#serve(surface, handler, msg));
      },
    });
    this.#subscriptions.set(surface.name, subscription);
    return ok(undefined);
  }

  /** Stops taking subscribers, aborts every running feed's signal, and waits for the handlers to return. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await Promise.allSettled([...this.#subscriptions.values()].map((subscription) => subscription.drain()));
      for (const controller of this.#active.values()) controller.abort(new Error("the service is stopping"));
      await this.#inFlight.settled();
      this.#probe?.unsubscribe();
    })();
    return this.#stopping;
  }

  async #serve<S extends FeedSurface>(surface: S, handler: FeedHandler<S>, msg: Msg): Promise<void> {
    const feed = surface.name;
    const inbound = parseTraceparent(
      readHeader(msg.headers, HEADER.traceparent),
      readHeader(msg.headers, HEADER.tracestate),
    );
    const span = (this.#options.telemetry ?? currentTelemetry()).startSpan(`feed.server.${feed}`, {
      kind: "server",
      parent: inbound,
      attributes: { "rpc.system": "nats", "rpc.method": feed, "messaging.destination": msg.subject },
    });
    const requestId = readHeader(msg.headers, HEADER.requestId);
    const sessionKey = readHeader(msg.headers, HEADER.sessionKey);
    const log = { feed, subject: msg.subject, requestId, traceId: span.context.traceId };
    const id = String(this.#nextId++);
    const probe = `${this.#probeRoot}.${id}`;
    const send = (body: Uint8Array, headers?: Record<string, string>): Result<void, TransportError> => {
      try {
        this.#nc.publish(
          msg.reply!,
          body,
          headers === undefined ? { reply: probe } : { reply: probe, headers: buildHeaders(headers) },
        );
        return ok(undefined);
      } catch (cause) {
        return err(new TransportError(TRANSPORT_CODES.feedFailed, "the frame could not be sent", { cause }));
      }
    };
    const fail = (phase: string, error: TrellisError): void => {
      span.recordError(error);
      this.#logger[error.type === "UnexpectedError" ? "error" : "info"](
        { ...log, phase, error, errorType: error.type },
        "feed failed",
      );
      const body = errorReplyBody(error, {
        method: feed,
        requestId,
        service: this.#options.serviceName,
        contractId: this.#options.contractId,
        contractDigest: this.#options.contractDigest,
        traceId: span.context.traceId,
      });
      send(body, { [HEADER.status]: STATUS_ERROR });
    };

    try {
      const admitted = await admitRequest(msg, {
        input: surface.input,
        capabilities: surface.capabilities.subscribe ?? [],
        authRequired: true,
        authenticator: this.#options.authenticator,
      });
      // Every frame, the error frame included, goes only under the caller's own inbox (auth.md §7).
      if (!replyAllowed(msg.reply, sessionKey)) {
        this.#logger.warn(
          { ...log, reason: "reply_subject_mismatch", reply: msg.reply, sessionKey },
          "feed reply subject is not under the caller's inbox prefix; nothing sent",
        );
        return;
      }
      if (admitted.isErr()) return fail(admitted.error.phase, admitted.error.error);

      const controller = new AbortController();
      this.#active.set(id, controller);
      if (this.#stopping !== undefined) controller.abort(new Error("the service is stopping"));
      try {
        const ready = send(new Uint8Array(), { [HEADER.feedStatus]: FEED_READY });
        if (ready.isErr()) return fail("ready", ready.error);
        // Async in its signature so a later version can apply backpressure without changing handlers.
        const emit = (event: SurfaceEvent<S>): AsyncResult<void, ValidationError | TransportError> => {
          if (controller.signal.aborted) {
            return AsyncResult.err(
              new TransportError(TRANSPORT_CODES.feedClosed, "the feed has ended", { context: { feed } }),
            );
          }
          const checked = checkSchema<S["event"]>(surface.event, event);
          if (checked.isErr()) return AsyncResult.err(checked.error);
          const body = encodeJson(checked.value);
          const sent: Result<void, ValidationError | TransportError> = body.isErr()
            ? err(body.error)
            : send(body.value);
          return new AsyncResult(sent);
        };
        const context = {
          caller: admitted.value.caller,
          sessionKey: admitted.value.sessionKey,
          requestId,
          subject: msg.subject,
          traceId: span.context.traceId,
          trace: span.context,
        } as FeedContext;
        const result = await settleHandler(() =>
          handler({ input: admitted.value.input as SurfaceInput<S>, context, emit, signal: controller.signal }),
        );
        if (result.isErr() && !controller.signal.aborted) fail("handler", result.error);
        else if (result.isErr())
          this.#logger.info({ ...log, error: result.error }, "feed handler failed after the feed ended");
      } finally {
        controller.abort(new Error("the feed handler returned"));
        this.#active.delete(id);
      }
    } finally {
      span.end();
    }
  }
}
