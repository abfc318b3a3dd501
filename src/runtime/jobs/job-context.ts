import type { JobContext } from "../../contracts/index.ts";
import { currentRequestScope } from "../observability/request-scope.ts";
import { formatTraceparent, newSpanId, newTraceId, type TraceContext } from "../observability/trace-context.ts";
import { newRequestId } from "../wire/request-id.ts";

/**
 * A new job's context (jobs.md §5 "Trace context"): the active trace if
 * there is one (it was parsed, so its ids are valid and non-zero), else
 * `00-<random>-<random>-01`; the current request's id inside a handler,
 * else a new ULID. Every later event of the job copies it.
 */
export function newJobContext(): JobContext {
  const scope = currentRequestScope();
  const trace: TraceContext = scope?.trace ?? { traceId: newTraceId(), spanId: newSpanId(), flags: "01" };
  const context: JobContext = {
    requestId: scope?.requestId ?? newRequestId(),
    traceId: trace.traceId,
    traceparent: formatTraceparent(trace),
  };
  if (trace.tracestate !== undefined) context.tracestate = trace.tracestate;
  return Object.freeze(context);
}
