import { TransportError } from "../../contracts/index.ts";

/** `TransportError.code` values of a failed `connect` (runtime-wire.md §7.1: connect fails with a TransportError). */
export const CONNECT_CODES = {
  /** The bootstrap endpoint or NATS could not be reached (before the retry budget ran out). */
  unreachable: "trellis.connect.unreachable",
  /** The control plane refused for good: `context.reason` is the auth.md §8 code. */
  refused: "trellis.connect.refused",
  /** Still pending (approval, provisioning, reconciliation) when the wait ran out; `context.reason` says which. */
  pending: "trellis.connect.pending",
  /** nats-server refused the connect after bootstrap said ready (the callout denied; see its denial record). */
  denied: "trellis.connect.denied",
} as const;

const HINTS: Record<keyof typeof CONNECT_CODES, string> = {
  unreachable: "the Trellis bootstrap endpoint or NATS could not be reached",
  refused: "the control plane refused this session key",
  pending: "the control plane has not admitted this session key yet",
  denied: "NATS refused the connection (Authorization Violation); the control plane recorded why",
};

/** Hints per reason, for the messages people read first. */
const REASON_HINTS: Record<string, string> = {
  unknown_service: "no instance has this session key: provision it (trellis svc <id> provision)",
  service_authority_miss: "the deployment has no approval yet: approve the contract (trellis svc <id> apply)",
  contract_changed: "this digest is not approved for the deployment: apply it (trellis svc <id> apply)",
  service_disabled: "the deployment or instance is disabled (trellis svc <id> enable)",
  contract_digest_mismatch: "the deployment serves another contract id",
  auth_required: "this session key is not approved: trellis sessions approve --contract <file> --session-key <key>",
  iat_out_of_range: "the clocks disagree by more than 30 s even after correcting from serverNow",
  invalid_signature: "the bootstrap signature did not verify (wrong seed for this session key?)",
};

export function connectError(
  kind: keyof typeof CONNECT_CODES,
  context: Record<string, unknown> & { reason?: string },
  cause?: unknown,
): TransportError {
  const reasonHint = context.reason === undefined ? undefined : REASON_HINTS[context.reason];
  const hint = reasonHint === undefined ? HINTS[kind] : `${HINTS[kind]}: ${reasonHint}`;
  const message = context.reason === undefined ? hint : `${hint} (${context.reason})`;
  return new TransportError(CONNECT_CODES[kind], hint, {
    message,
    context,
    ...(cause === undefined ? {} : { cause }),
  });
}
