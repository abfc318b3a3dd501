import * as v from "valibot";

/**
 * What travels and what is stored for operations (operations.md §3-§5), as
 * the runtime reads it. Wire schemas are open (unknown members are dropped);
 * payloads (`progress`, `output`, signal inputs) stay `unknown` here and are
 * checked with the surface's own schemas where they are used.
 */
export const OPERATION_STATES = ["pending", "running", "completed", "failed", "cancelled"] as const;
export const TERMINAL_STATES: ReadonlySet<string> = new Set(["completed", "failed", "cancelled"]);

const TransferProgressSchema = v.object({
  chunkIndex: v.number(),
  chunkBytes: v.number(),
  transferredBytes: v.number(),
});

export const SnapshotErrorSchema = v.object({
  type: v.string(),
  message: v.string(),
  id: v.optional(v.string()),
  context: v.optional(v.record(v.string(), v.unknown())),
  traceId: v.optional(v.string()),
});

export const SnapshotSchema = v.object({
  id: v.string(),
  service: v.string(),
  operation: v.string(),
  revision: v.pipe(v.number(), v.integer(), v.minValue(1)),
  state: v.picklist(OPERATION_STATES),
  createdAt: v.string(),
  updatedAt: v.string(),
  completedAt: v.optional(v.string()),
  progress: v.optional(v.unknown()),
  transfer: v.optional(TransferProgressSchema),
  output: v.optional(v.unknown()),
  error: v.optional(SnapshotErrorSchema),
});
export type WireSnapshot = v.InferOutput<typeof SnapshotSchema>;

export const EVENT_TYPES = ["accepted", "started", "progress", "transfer", "completed", "failed", "cancelled"] as const;
export type WireEventType = (typeof EVENT_TYPES)[number];

export const EventSchema = v.object({
  type: v.picklist(EVENT_TYPES),
  snapshot: SnapshotSchema,
  progress: v.optional(v.unknown()),
  transfer: v.optional(TransferProgressSchema),
});
export type WireEvent = v.InferOutput<typeof EventSchema>;

/** `evt.<opId>.<revision>`. */
export const StoredEventSchema = v.object({ sequence: v.number(), event: EventSchema });
export type StoredEvent = v.InferOutput<typeof StoredEventSchema>;

/** `rec.<opId>`. */
export const RecordSchema = v.object({
  v: v.literal(1),
  snapshot: SnapshotSchema,
  owner: v.object({ principal: v.string(), sessionKey: v.string() }),
  signalSequence: v.number(),
  deferred: v.optional(v.boolean()),
  context: v.optional(v.object({ requestId: v.string(), traceparent: v.optional(v.string()) })),
});
export type OperationRecord = v.InferOutput<typeof RecordSchema>;

/** `sig.<opId>.<signalSequence>`. */
export const StoredSignalSchema = v.object({
  operationId: v.string(),
  sequence: v.number(),
  signal: v.string(),
  input: v.optional(v.unknown()),
  acceptedAt: v.string(),
  principal: v.string(),
});
export type StoredSignal = v.InferOutput<typeof StoredSignalSchema>;

const operationId = v.pipe(v.string(), v.minLength(1));
/** §5.2 control requests; an unknown action is a ValidationError at `/action`. */
export const ControlRequestSchema = v.variant("action", [
  v.object({ action: v.picklist(["get", "cancel"]), operationId }),
  v.object({ action: v.literal("watch"), operationId }),
  v.object({ action: v.literal("wait"), operationId, includeProgress: v.optional(v.boolean()) }),
  v.object({ action: v.literal("signal"), operationId, signal: v.string(), input: v.optional(v.unknown()) }),
]);
export type ControlRequest = v.InferOutput<typeof ControlRequestSchema>;
export type ControlAction = ControlRequest["action"];

/** §5.2 frames as the client reads them (error data is checked by the error decoder). */
export const ControlFrameSchema = v.variant("kind", [
  v.object({ kind: v.literal("snapshot"), snapshot: SnapshotSchema }),
  v.object({ kind: v.literal("event"), sequence: v.number(), event: EventSchema }),
  v.object({
    kind: v.literal("signal-accepted"),
    operationId: v.string(),
    signal: v.string(),
    signalSequence: v.number(),
    acceptedAt: v.string(),
    snapshot: SnapshotSchema,
  }),
  v.object({ kind: v.literal("keepalive") }),
  v.object({ kind: v.literal("error"), error: v.record(v.string(), v.unknown()) }),
]);
export type ControlFrame = v.InferOutput<typeof ControlFrameSchema>;

/** §5.1 the one reply of a start. */
export const AcceptedEnvelopeSchema = v.object({
  kind: v.literal("accepted"),
  ref: v.object({ id: v.string(), service: v.string(), operation: v.string() }),
  snapshot: SnapshotSchema,
});
export type AcceptedEnvelope = v.InferOutput<typeof AcceptedEnvelopeSchema>;

/** §5.3: the error frame that ends a stream before the caller's response permission runs out. */
export const STREAM_EXPIRED = "trellis.operation.stream_expired";

export function isTerminal(snapshot: { readonly state: string }): boolean {
  return TERMINAL_STATES.has(snapshot.state);
}
