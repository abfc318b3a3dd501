import { childContext, type TraceContext } from "./trace-context.ts";

/**
 * Spans and the `trellis.errors` counter (runtime-wire.md §5). When
 * `@opentelemetry/api` can be imported at run time, spans and counts go
 * through it; otherwise the runtime still mints W3C ids itself, so trace
 * context propagates and errors carry a `traceId` with no telemetry installed.
 * OpenTelemetry is never a dependency: it is looked up with a dynamic import.
 */

export type SpanKind = "client" | "server" | "producer" | "consumer";

export interface Span {
  /** The span's own context: what is injected downstream and what errors take their `traceId` from. */
  readonly context: TraceContext;
  recordError(error: { type: string; message: string }): void;
  end(): void;
}

export type SpanOptions = {
  kind: SpanKind;
  /** The remote or local parent; without one the active OpenTelemetry span (if any) is the parent. */
  parent?: TraceContext | undefined;
  attributes: Record<string, string>;
};

/** The labels §5 allows on `trellis.errors`: never ids, subjects, payloads or messages. */
export type ErrorLabels = {
  "trellis.surface": "rpc" | "event" | "feed";
  "trellis.direction": "client" | "server";
  "trellis.operation": string;
  "trellis.phase": string;
  "trellis.error.type": string;
  "trellis.remote_error.type"?: string;
  "trellis.auth.reason"?: string;
};

export interface Telemetry {
  readonly name: "builtin" | "opentelemetry";
  startSpan(name: string, options: SpanOptions): Span;
  countError(labels: ErrorLabels): void;
}

/** Ids only: no recording, no export. */
export const builtinTelemetry: Telemetry = {
  name: "builtin",
  startSpan: (_name, options) => ({ context: childContext(options.parent), recordError() {}, end() {} }),
  countError() {},
};

// The slice of @opentelemetry/api used here, checked structurally after import.
type OtelSpanContext = { traceId: string; spanId: string; traceFlags: number; isRemote?: boolean };
type OtelSpan = {
  spanContext(): OtelSpanContext;
  setStatus(status: { code: number; message?: string }): void;
  setAttribute(key: string, value: string): void;
  end(): void;
};
type OtelContext = object;
type OtelApi = {
  trace: {
    getTracer(name: string): {
      startSpan(
        name: string,
        options: { kind: number; attributes: Record<string, string> },
        context: OtelContext,
      ): OtelSpan;
    };
    setSpanContext(context: OtelContext, spanContext: OtelSpanContext): OtelContext;
    isSpanContextValid(spanContext: OtelSpanContext): boolean;
  };
  context: { active(): OtelContext };
  metrics?: { getMeter(name: string): { createCounter(name: string): { add(value: number, labels: object): void } } };
};

const OTEL_KINDS: Record<SpanKind, number> = { server: 1, client: 2, producer: 3, consumer: 4 };
const STATUS_ERROR = 2;

function isOtelApi(value: unknown): value is OtelApi {
  const api = value as Partial<OtelApi> | undefined;
  return (
    typeof api?.trace?.getTracer === "function" &&
    typeof api.trace.setSpanContext === "function" &&
    typeof api.context?.active === "function"
  );
}

function otelTelemetry(api: OtelApi): Telemetry {
  const tracer = api.trace.getTracer("trellis");
  const errors = api.metrics?.getMeter("trellis").createCounter("trellis.errors");
  return {
    name: "opentelemetry",
    startSpan(name, options) {
      let parentContext = api.context.active();
      if (options.parent !== undefined) {
        parentContext = api.trace.setSpanContext(parentContext, {
          traceId: options.parent.traceId,
          spanId: options.parent.spanId,
          traceFlags: Number.parseInt(options.parent.flags, 16),
          isRemote: true,
        });
      }
      const span = tracer.startSpan(
        name,
        { kind: OTEL_KINDS[options.kind], attributes: options.attributes },
        parentContext,
      );
      const own = span.spanContext();
      // Without an SDK registered the API hands out non-recording spans with
      // the parent's (or an invalid) context: mint our own ids then.
      const context =
        api.trace.isSpanContextValid(own) && own.spanId !== options.parent?.spanId
          ? {
              traceId: own.traceId,
              spanId: own.spanId,
              flags: own.traceFlags.toString(16).padStart(2, "0"),
              tracestate: options.parent?.tracestate,
            }
          : childContext(options.parent);
      return {
        context,
        recordError(error) {
          span.setAttribute("trellis.error.type", error.type);
          span.setStatus({ code: STATUS_ERROR, message: error.message });
        },
        end: () => span.end(),
      };
    },
    countError(labels) {
      errors?.add(1, labels);
    },
  };
}

let active: Telemetry = builtinTelemetry;
let loading: Promise<Telemetry> | undefined;

// A variable specifier keeps bundlers and the type checker from resolving a package we do not depend on.
const OTEL_MODULE = "@opentelemetry/api";

/** Looks for OpenTelemetry once; resolves to whichever telemetry is in use. */
export function loadTelemetry(): Promise<Telemetry> {
  loading ??= import(OTEL_MODULE).then(
    (module: unknown) => {
      const api = (module as { default?: unknown }).default ?? module;
      if (isOtelApi(api)) active = otelTelemetry(api);
      return active;
    },
    () => active,
  );
  return loading;
}

/** The telemetry in use now (builtin until `loadTelemetry` has found OpenTelemetry). */
export function telemetry(): Telemetry {
  void loadTelemetry();
  return active;
}
