import { randomBytesFromPool } from "../wire/random-pool.ts";

/**
 * W3C trace context (runtime-wire.md §5): `traceparent` is
 * `00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>`; an all-zero trace
 * or parent id is invalid. Runtimes extract it on receipt and inject it on
 * every RPC, feed and event send.
 */
export type TraceContext = {
  readonly traceId: string;
  readonly spanId: string;
  /** Two lowercase hex digits; `01` = sampled. */
  readonly flags: string;
  readonly tracestate?: string | undefined;
};

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/** Parses an inbound `traceparent` (and `tracestate`); anything invalid is ignored, as W3C asks. */
export function parseTraceparent(traceparent: string | undefined, tracestate?: string): TraceContext | undefined {
  if (traceparent === undefined) return undefined;
  const match = TRACEPARENT.exec(traceparent.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  // Version ff is forbidden; version 00 has exactly four fields, later versions may append more.
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, flags, tracestate: tracestate === "" ? undefined : tracestate };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/** Byte → two hex digits; ids come from the shared random pool (`wire/random-pool.ts`). */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function randomHex(bytes: number): string {
  const random = randomBytesFromPool(bytes);
  let hex = "";
  for (let i = 0; i < bytes; i++) hex += HEX[random[i]!]!;
  return hex;
}

export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);

/** A new span under `parent`, or the root of a new trace (sampled) when there is none. */
export function childContext(parent: TraceContext | undefined): TraceContext {
  if (parent === undefined) return { traceId: newTraceId(), spanId: newSpanId(), flags: "01" };
  return { traceId: parent.traceId, spanId: newSpanId(), flags: parent.flags, tracestate: parent.tracestate };
}

/** The trace headers to send for a span. */
export function traceHeaders(context: TraceContext | undefined): { traceparent?: string; tracestate?: string } {
  if (context === undefined) return {};
  return context.tracestate === undefined
    ? { traceparent: formatTraceparent(context) }
    : { traceparent: formatTraceparent(context), tracestate: context.tracestate };
}
