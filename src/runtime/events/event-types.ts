import type { EventSurface, SurfaceEvent } from "../../contracts/index.ts";
import type { TraceContext } from "../observability/trace-context.ts";
import type { HandlerResult } from "../rpc/handler-result.ts";

/** `payload.header`, set by the publishing runtime (runtime-wire.md §3). */
export type EventHeader = { id: string; time: string };

/** What a caller passes to publish: the event without `header` (the runtime sets it, replacing any given). */
export type EventPublishInput<S extends EventSurface> = DropHeader<SurfaceEvent<S>>;
type DropHeader<T> = unknown extends T ? unknown : T extends object ? Omit<T, "header"> & { header?: unknown } : T;

/** What a listener receives: the validated event, with the header the publisher set. */
export type ReceivedEvent<S extends EventSurface> = SurfaceEvent<S> & { header: EventHeader };

/** Listener context (§3): `id`/`time` from the header; `group` and `sequence` for durable delivery. */
export type EventContext = {
  id: string;
  time: string;
  subject: string;
  mode: "durable" | "ephemeral";
  group?: string;
  /** The stream sequence, for durable delivery. */
  sequence?: number;
  /** Delivery attempt, 1 for the first (durable only). */
  delivery?: number;
  /** The handling span's trace id; `trace` continues it downstream. */
  traceId: string;
  trace: TraceContext;
};

export type EventHandler<S extends EventSurface> = (args: {
  event: ReceivedEvent<S>;
  context: EventContext;
}) => HandlerResult<void>;

/**
 * A prepared event (§3) as an outbox stores it and republishes it unchanged.
 * It carries no contract id or digest of the publisher.
 */
export type PreparedEvent = {
  event: string;
  subject: string;
  payload: Record<string, unknown>;
  /** The exact JSON text that is published. */
  encodedPayload: string;
  headers: Record<string, string>;
};

/** The stream's acknowledgement of a publish. */
export type PublishedEvent = { id: string; subject: string; stream: string; sequence: number; duplicate: boolean };
