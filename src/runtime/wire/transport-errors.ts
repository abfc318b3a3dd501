import {
  ClosedConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  PermissionViolationError,
  TimeoutError,
} from "@nats-io/nats-core";
import { TransportError, type TrellisErrorOptions } from "../../contracts/index.ts";

/** `TransportError.code` values of runtime-wire.md §1.7 and §4.6. */
export const TRANSPORT_CODES = {
  unavailable: "trellis.request.unavailable",
  denied: "trellis.request.denied",
  timeout: "trellis.request.timeout",
  retryExhausted: "trellis.request.retry_exhausted",
  failed: "trellis.request.failed",
  invalidResponse: "trellis.request.invalid_response",
  responseSendFailed: "trellis.rpc.response_send_failed",
  feedSubscribeTimeout: "trellis.feed.subscribe_timeout",
  feedSubscribeAborted: "trellis.feed.subscribe_aborted",
  feedSubscribeClosed: "trellis.feed.subscribe_closed",
  feedFailed: "trellis.feed.failed",
  /** `emit()` after the feed ended (handler returned, subscriber gone, service stopping). */
  feedClosed: "trellis.feed.closed",
} as const;

export type NatsFailureKind = "no_responders" | "denied" | "timeout" | "closed" | "other";

/** What a nats.js request rejection means; nats.js wraps the cause in a RequestError. */
export function classifyNatsFailure(error: unknown): NatsFailureKind {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth++) {
    if (at instanceof NoRespondersError) return "no_responders";
    if (at instanceof PermissionViolationError) return "denied";
    if (at instanceof TimeoutError) return "timeout";
    if (at instanceof ClosedConnectionError || at instanceof DrainingConnectionError) return "closed";
  }
  return "other";
}

const HINTS: Record<Exclude<NatsFailureKind, "no_responders">, [code: string, hint: string]> = {
  denied: [TRANSPORT_CODES.denied, "NATS refused the publish: the connection is not permitted to send to this subject"],
  timeout: [TRANSPORT_CODES.timeout, "no reply arrived before the request timeout"],
  closed: [TRANSPORT_CODES.failed, "the NATS connection is closed or draining"],
  other: [TRANSPORT_CODES.failed, "the request failed in the NATS client"],
};

/** A TransportError for a failed request; `no_responders` only reaches here once retries are spent. */
export function transportErrorFor(
  kind: NatsFailureKind,
  cause: unknown,
  context: Record<string, unknown>,
): TransportError {
  const options: TrellisErrorOptions = { cause, context: { ...context, causeMessage: messageOf(cause) } };
  if (kind === "no_responders") {
    return new TransportError(TRANSPORT_CODES.unavailable, "no service is listening on this subject", options);
  }
  const [code, hint] = HINTS[kind];
  return new TransportError(code, hint, options);
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
