import { AsyncLocalStorage } from "node:async_hooks";
import type { TraceContext } from "./trace-context.ts";

/**
 * The request a handler is serving, visible to whatever it calls without
 * being passed along: a job created inside an RPC handler takes the
 * request's `request-id` and continues its trace (jobs.md §5,
 * runtime-wire.md §5).
 */
export type RequestScope = { readonly requestId?: string; readonly trace?: TraceContext };

const storage = new AsyncLocalStorage<RequestScope>();

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

export function withRequestScope<T>(scope: RequestScope, run: () => T): T {
  return storage.run(scope, run);
}
