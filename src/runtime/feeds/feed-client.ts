import { createInbox, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import {
  AsyncResult,
  err,
  fillSubjectTemplate,
  ok,
  TransportError,
  type FeedSurface,
  type Result,
  type SurfaceEvent,
  type SurfaceInput,
  type TrellisError,
  type UnexpectedError,
  type ValidationError,
} from "../../contracts/index.ts";
import { signRequest } from "../auth/request-proof.ts";
import { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import { telemetry as currentTelemetry, type Telemetry } from "../observability/telemetry.ts";
import { traceHeaders, type TraceContext } from "../observability/trace-context.ts";
import { decodeErrorBody } from "../wire/error-decode.ts";
import { buildHeaders, FEED_READY, HEADER, isNoRespondersStatus, readHeader, STATUS_ERROR } from "../wire/headers.ts";
import { bodyText, decodeJson, encodeJson } from "../wire/json-body.ts";
import { newRequestId } from "../wire/request-id.ts";
import { checkSchema } from "../wire/schema-check.ts";
import { TRANSPORT_CODES } from "../wire/transport-errors.ts";
import { inboxPrefix } from "../../contracts/index.ts";
import { DEFAULT_RPC_TIMEOUT_MS } from "../rpc/rpc-client.ts";
import { FrameQueue, type Frame } from "./frame-queue.ts";

/** A subscribed feed: an async iterator of validated events. Breaking out of the loop or `close()` unsubscribes. */
export interface Feed<TEvent> extends AsyncIterable<TEvent> {
  close(): void;
  readonly closed: boolean;
}

export type FeedOpenError = ValidationError | TransportError | UnexpectedError;
export type FeedOptions = { timeoutMs?: number; signal?: AbortSignal; trace?: TraceContext | undefined };

/** Feeds carry no declared errors; built-ins are rebuilt, anything else is a RemoteError. */
const FEED_ERRORS = { errors: ["AuthError", "ValidationError", "UnexpectedError", "TransportError"], errorClasses: {} };

/**
 * The subscribing side of feeds (runtime-wire.md §4): subscribe to a new
 * inbox under the session prefix, publish the signed input with that inbox
 * as reply, wait for the ready frame, then yield validated events.
 */
export class FeedClient {
  readonly #nc: NatsConnection;
  readonly #keys: SessionKeys;
  readonly #clock: ServerClock;
  readonly #timeoutMs: number;
  readonly #telemetry: Telemetry | undefined;

  constructor(
    nc: NatsConnection,
    options: { keys: SessionKeys; clock?: ServerClock; timeoutMs?: number; telemetry?: Telemetry },
  ) {
    this.#nc = nc;
    this.#keys = options.keys;
    this.#clock = options.clock ?? new ServerClock();
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    this.#telemetry = options.telemetry;
  }

  open<S extends FeedSurface>(
    surface: S,
    input: SurfaceInput<S>,
    options: FeedOptions = {},
  ): AsyncResult<Feed<SurfaceEvent<S>>, FeedOpenError> {
    return new AsyncResult(this.#open(surface, input, options));
  }

  async #open<S extends FeedSurface>(
    surface: S,
    input: unknown,
    options: FeedOptions,
  ): Promise<Result<Feed<SurfaceEvent<S>>, FeedOpenError>> {
    const checked = checkSchema(surface.input, input);
    if (checked.isErr()) return err(checked.error.withContext({ feed: surface.name }));
    const body = encodeJson(checked.value);
    if (body.isErr()) return err(body.error);
    const subject = fillSubjectTemplate(surface.subject, checked.value);
    if (subject.isErr()) return err(subject.error);

    const span = (this.#telemetry ?? currentTelemetry()).startSpan(`feed.client.${surface.name}`, {
      kind: "client",
      parent: options.trace,
      attributes: { "rpc.system": "nats", "rpc.method": surface.name, "messaging.destination": subject.value },
    });
    span.end();
    const requestId = newRequestId();
    const proof = await signRequest(this.#keys, {
      subject: subject.value,
      body: body.value,
      iat: this.#clock.iat(),
      requestId,
    });
    const frames = new FrameQueue();
    const inbox = createInbox(inboxPrefix(this.#keys.sessionKey));
    let subscription: Subscription;
    try {
      subscription = this.#nc.subscribe(inbox, {
        callback: (error, msg) => (error === null ? frames.push({ msg }) : frames.end("closed")),
      });
      void subscription.closed.then(() => frames.end("closed"));
      this.#nc.publish(subject.value, body.value, {
        reply: inbox,
        headers: buildHeaders({ ...proof, ...traceHeaders(span.context) }),
      });
    } catch (cause) {
      return err(new TransportError(TRANSPORT_CODES.feedSubscribeClosed, "could not subscribe to the feed", { cause }));
    }
    const context = { feed: surface.name, subject: subject.value, requestId };
    const close = () => {
      options.signal?.removeEventListener("abort", abort);
      if (!subscription.isClosed()) subscription.unsubscribe();
      frames.end("closed");
    };
    // Abort unsubscribes at once, whether or not anyone is iterating.
    const abort = () => {
      frames.end("aborted");
      close();
    };
    options.signal?.addEventListener("abort", abort, { once: true });
    if (options.signal?.aborted) abort();

    const first = await frames.next(options.timeoutMs ?? this.#timeoutMs);
    const handshake = readHandshake(first, context);
    if (handshake.isErr()) {
      close();
      return err(handshake.error);
    }
    // A first frame without `feed-status` is already data (§4.6).
    if (handshake.value !== undefined) frames.unshift({ msg: handshake.value });
    return ok(new SubscribedFeed(surface, frames, close, context) as Feed<SurfaceEvent<S>>);
  }
}

/** The first frame: ready (undefined), data (the message) or a handshake failure. */
function readHandshake(
  frame: Frame | undefined,
  context: Record<string, unknown>,
): Result<Msg | undefined, TransportError> {
  if (frame === undefined) {
    return err(
      new TransportError(TRANSPORT_CODES.feedSubscribeTimeout, "the feed did not answer in time", { context }),
    );
  }
  if ("end" in frame) {
    return frame.end === "aborted"
      ? err(new TransportError(TRANSPORT_CODES.feedSubscribeAborted, "the feed subscription was aborted", { context }))
      : err(new TransportError(TRANSPORT_CODES.feedSubscribeClosed, "the feed subscription closed", { context }));
  }
  const { msg } = frame;
  if (isNoRespondersStatus(msg)) {
    return err(new TransportError(TRANSPORT_CODES.unavailable, "no service serves this feed", { context }));
  }
  if (readHeader(msg.headers, HEADER.status) === STATUS_ERROR) return err(feedFailure(msg, context));
  return ok(readHeader(msg.headers, HEADER.feedStatus) === FEED_READY ? undefined : msg);
}

function feedFailure(msg: Msg, context: Record<string, unknown>): TransportError {
  const cause: TrellisError = decodeErrorBody(msg.data, FEED_ERRORS);
  return new TransportError(TRANSPORT_CODES.feedFailed, `the feed failed: ${cause.message}`, {
    cause,
    context: { ...context, frame: bodyText(msg.data), errorType: cause.type },
  });
}

class SubscribedFeed<S extends FeedSurface> implements Feed<SurfaceEvent<S>> {
  #closed = false;

  constructor(
    private readonly surface: S,
    private readonly frames: FrameQueue,
    private readonly unsubscribe: () => void,
    private readonly context: Record<string, unknown>,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
    this.unsubscribe();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SurfaceEvent<S>, void, undefined> {
    try {
      while (!this.#closed) {
        const frame = await this.frames.next();
        if (frame === undefined || "end" in frame) return;
        const { msg } = frame;
        // A later error frame ends the feed by throwing, as §4.7 specifies.
        if (readHeader(msg.headers, HEADER.status) === STATUS_ERROR) throw feedFailure(msg, this.context);
        if (readHeader(msg.headers, HEADER.feedStatus) !== undefined) continue; // unknown statuses are reserved
        const event = decodeJson(msg.data).andThen((value) => checkSchema<S["event"]>(this.surface.event, value));
        if (event.isErr()) throw event.error.withContext(this.context);
        yield event.value as SurfaceEvent<S>;
      }
    } finally {
      this.close();
    }
  }
}
