import type { NatsConnection } from "@nats-io/nats-core";
import { ulid } from "ulid";
import {
  AsyncResult,
  err,
  fillSubjectTemplate,
  ok,
  type EventSurface,
  type Result,
  type UnexpectedError,
  ValidationError,
} from "../../contracts/index.ts";
import { telemetry as currentTelemetry, type Telemetry } from "../observability/telemetry.ts";
import { traceHeaders, type TraceContext } from "../observability/trace-context.ts";
import { buildHeaders, HEADER } from "../wire/headers.ts";
import { checkSchema } from "../wire/schema-check.ts";
import type { EventPublishInput, PreparedEvent, PublishedEvent } from "./event-types.ts";
import { publishToStream } from "./jetstream-publish.ts";

export const DEFAULT_PUBLISH_TIMEOUT_MS = 5000;
const encoder = new TextEncoder();

export type PublishOptions = { trace?: TraceContext | undefined; timeoutMs?: number };
export type PublishError = ValidationError | UnexpectedError;

/**
 * Publishes events (runtime-wire.md §3): subject from the `params`,
 * `payload.header = {id, time}` (replacing the caller's), validation,
 * `Nats-Msg-Id` = header.id for the stream's duplicate window, trace
 * headers, and a JetStream publish that waits for the PubAck. No proof
 * headers and no `request-id`: events are not requests.
 */
export class EventPublisher {
  readonly #nc: NatsConnection;
  readonly #telemetry: Telemetry | undefined;

  constructor(nc: NatsConnection, options: { telemetry?: Telemetry } = {}) {
    this.#nc = nc;
    this.#telemetry = options.telemetry;
  }

  /** Everything a publish would send, without sending it (for an outbox). */
  prepare<S extends EventSurface>(
    surface: S,
    payload: EventPublishInput<S>,
    options: PublishOptions = {},
  ): Result<PreparedEvent, ValidationError> {
    const header = { id: ulid(), time: new Date().toISOString() };
    const checked = checkSchema(surface.event, { ...(payload as object), header });
    if (checked.isErr()) return err(checked.error.withContext({ event: surface.name }));
    // The header is written after validation: a schema that does not declare it must not strip it.
    const full = { ...(checked.value as Record<string, unknown>), header };
    const subject = fillSubjectTemplate(surface.subject, full);
    if (subject.isErr()) return err(subject.error.withContext({ event: surface.name }));
    let encodedPayload: string;
    try {
      encodedPayload = JSON.stringify(full);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      return err(new ValidationError([{ path: "", message: `cannot be written as JSON (${reason})` }], { cause }));
    }
    const headers: Record<string, string> = { [HEADER.msgId]: header.id, ...traceHeaders(options.trace) };
    return ok({ event: surface.name, subject: subject.value, payload: full, encodedPayload, headers });
  }

  publish<S extends EventSurface>(
    surface: S,
    payload: EventPublishInput<S>,
    options: PublishOptions = {},
  ): AsyncResult<PublishedEvent, PublishError> {
    const span = (this.#telemetry ?? currentTelemetry()).startSpan(`event.publish.${surface.name}`, {
      kind: "producer",
      parent: options.trace,
      attributes: { "rpc.system": "nats", "messaging.destination": surface.subject },
    });
    const prepared = this.prepare(surface, payload, { ...options, trace: span.context });
    const sent = prepared.isErr() ? AsyncResult.err(prepared.error) : this.publishPrepared(prepared.value, options);
    return new AsyncResult(
      sent.then((result) => {
        if (result.isErr()) span.recordError(result.error);
        span.end();
        return result;
      }),
    );
  }

  /** Republishes a prepared event byte for byte; the stream drops it if its id was seen within the window. */
  publishPrepared(
    prepared: PreparedEvent,
    options: { timeoutMs?: number } = {},
  ): AsyncResult<PublishedEvent, PublishError> {
    const body = encoder.encode(prepared.encodedPayload);
    return new AsyncResult(
      publishToStream(
        this.#nc,
        prepared.subject,
        body,
        buildHeaders(prepared.headers),
        options.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS,
      ).then((ack) =>
        ack.map((value) => ({
          id: prepared.headers[HEADER.msgId] ?? "",
          subject: prepared.subject,
          stream: value.stream,
          sequence: value.seq,
          duplicate: value.duplicate,
        })),
      ),
    );
  }
}
