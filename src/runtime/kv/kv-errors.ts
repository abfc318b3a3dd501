import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { KVError } from "../../contracts/index.ts";
import { classifyNatsFailure } from "../wire/transport-errors.ts";

/**
 * `context.reason` of a KVError (runtime-wire.md §6). The first three are the
 * specified ones; `unavailable` is ours for failures of the transport or
 * JetStream (a timeout, a denied subject, no bucket), with `causeMessage`.
 */
export type KvFailureReason = "not found" | "exists" | "revision mismatch" | "unavailable";

export type KvOperation = "get" | "create" | "put" | "update" | "delete" | "keys" | "watch" | "status";

const MESSAGES: Record<KvFailureReason, string> = {
  "not found": "no value for this key",
  exists: "the key already holds a value",
  "revision mismatch": "the key changed since the given revision",
  unavailable: "the bucket could not be reached",
};

export function kvError(
  operation: KvOperation,
  key: string | undefined,
  reason: KvFailureReason,
  cause?: unknown,
): KVError {
  const context: Record<string, unknown> = { reason, ...(key === undefined ? {} : { key }) };
  if (cause !== undefined) context.causeMessage = cause instanceof Error ? cause.message : String(cause);
  if (cause !== undefined && classifyNatsFailure(cause) === "denied") context.denied = true;
  return new KVError(MESSAGES[reason], { operation, context, ...(cause === undefined ? {} : { cause }) });
}

/** An expected-last-subject-sequence check that failed: someone else wrote first. */
export function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
