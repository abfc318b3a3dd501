/**
 * Denial reasons of auth.md §8. Clients must tolerate codes they do not
 * know, so the type stays open (`string & {}`) while naming the known ones.
 */
export const AUTH_REASONS = [
  "auth_token_required",
  "invalid_auth_token",
  "unsupported_protocol_version",
  "missing_session_key",
  "missing_sig",
  "missing_proof",
  "invalid_request",
  "iat_out_of_range",
  "invalid_signature",
  "session_not_found",
  "session_expired",
  "session_corrupted",
  "contract_changed",
  "approval_required",
  "approval_denied",
  "user_not_found",
  "user_inactive",
  "insufficient_permissions",
  "forbidden",
  "reply_subject_mismatch",
  "unknown_service",
  "service_disabled",
  "service_authority_miss",
  "unknown_device",
  "rate_limited",
  "internal_error",
] as const;

export type KnownAuthReason = (typeof AUTH_REASONS)[number];
export type AuthReason = KnownAuthReason | (string & {});

/** Proofs, tokens and bootstrap signatures are fresh within this many seconds (auth.md §3). */
export const IAT_SKEW_SECONDS = 30;

export function isFresh(iat: number, nowMs: number = Date.now()): boolean {
  return Math.abs(Math.floor(nowMs / 1000) - iat) <= IAT_SKEW_SECONDS;
}
