import { StoreError } from "../../contracts/index.ts";
import { classifyNatsFailure } from "../wire/transport-errors.ts";

/**
 * `context.reason` of a StoreError (runtime-wire.md §6), plus `unavailable`
 * (ours) for a failure of the transport or JetStream, with `causeMessage`.
 */
export type StoreFailureReason =
  | "not_found"
  | "already_exists"
  | "timeout"
  | "aborted"
  | "max_object_bytes_exceeded"
  | "invalid_limit"
  | "limit_exceeded"
  | "invalid_offset"
  | "unavailable";

export type StoreOperation = "open" | "create" | "put" | "get" | "waitFor" | "delete" | "list" | "status";

const MESSAGES: Record<StoreFailureReason, string> = {
  not_found: "no object with this key",
  already_exists: "an object with this key exists",
  timeout: "the object did not appear in time",
  aborted: "the wait was aborted",
  max_object_bytes_exceeded: "the object is larger than the store's maxObjectBytes",
  invalid_limit: "limit must be a positive integer",
  limit_exceeded: "limit may be at most 500",
  invalid_offset: "offset must be a non-negative integer",
  unavailable: "the object store could not be reached",
};

export function storeError(
  operation: StoreOperation,
  reason: StoreFailureReason,
  context: Record<string, unknown> = {},
  cause?: unknown,
): StoreError {
  const full: Record<string, unknown> = { reason, ...context };
  if (cause !== undefined) full.causeMessage = cause instanceof Error ? cause.message : String(cause);
  if (cause !== undefined && classifyNatsFailure(cause) === "denied") full.denied = true;
  return new StoreError(MESSAGES[reason], { operation, context: full, ...(cause === undefined ? {} : { cause }) });
}
