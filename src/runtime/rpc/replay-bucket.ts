/**
 * The replay cache every validator shares (auth.md §4 step 4): the KV bucket
 * `trellis_replay` in the TRELLIS account, so that services (which validate
 * requests themselves on the fast path) and the control plane's Validate
 * claim keys in one place. `trellis infra apply` creates it; nobody else.
 */
export const REPLAY_BUCKET = "trellis_replay";

/** A key must live until max(now, iat) + 30 s; iat is at most now + 30 s, so 60 s after insertion, with margin. */
export const REPLAY_TTL_SECONDS = 90;

/** The one subject a claim is published to: keys are base64url, so always a single token. */
export const replayClaimSubject = (key: string): string => `$KV.${REPLAY_BUCKET}.${key}`;

/**
 * What a service's JWT grants for claims (publish only; the PubAck comes
 * back on its inbox). Nothing to read, list or delete with: no `$JS.API`,
 * no direct get, no subscribe on `$KV`.
 */
export const REPLAY_CLAIM_GRANT = `$KV.${REPLAY_BUCKET}.*`;
