import { canonicalJson, err, ok, type Result } from "../../contracts/index.ts";
import { isFresh, type AuthReason } from "./reason-codes.ts";
import type { SessionKeys } from "./session-keys.ts";
import { natsConnectValue, signDomain, verifyDomain } from "./signatures.ts";

/** The CONNECT `auth_token` of auth.md §3. */
export type NatsAuthTokenV1 = {
  v: 1;
  sessionKey: string;
  contractDigest: string;
  iat: number;
  sig: string;
};

const DIGEST_FORM = /^[A-Za-z0-9_-]+$/;

/** A fresh token, as canonical JSON (key order contractDigest, iat, sessionKey, sig, v). */
export async function createConnectToken(keys: SessionKeys, contractDigest: string, iat: number): Promise<string> {
  const sig = await signDomain(keys, "nats-connect", natsConnectValue(iat, contractDigest));
  const token: NatsAuthTokenV1 = { v: 1, sessionKey: keys.sessionKey, contractDigest, iat, sig };
  return canonicalJson(token).orThrow();
}

/**
 * Reads a token in the order of the callout algorithm (auth.md §5 step 3), up
 * to but not including freshness and the signature. Key order is free.
 */
export function parseConnectToken(text: string | undefined): Result<NatsAuthTokenV1, AuthReason> {
  if (text === undefined || text === "") return err("auth_token_required");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err("invalid_auth_token");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return err("invalid_auth_token");
  const token = value as Record<string, unknown>;
  if (token.v !== 1) return err("unsupported_protocol_version");
  if (typeof token.sessionKey !== "string" || token.sessionKey === "") return err("missing_session_key");
  if (typeof token.sig !== "string" || token.sig === "") return err("missing_sig");
  if (typeof token.iat !== "number" || !Number.isSafeInteger(token.iat)) return err("invalid_auth_token");
  if (typeof token.contractDigest !== "string" || !DIGEST_FORM.test(token.contractDigest))
    return err("invalid_auth_token");
  return ok({
    v: 1,
    sessionKey: token.sessionKey,
    contractDigest: token.contractDigest,
    iat: token.iat,
    sig: token.sig,
  });
}

/** Parse, then freshness (`iat_out_of_range`), then the `nats-connect` signature (`invalid_signature`). */
export async function verifyConnectToken(
  text: string | undefined,
  nowMs: number = Date.now(),
): Promise<Result<NatsAuthTokenV1, AuthReason>> {
  const parsed = parseConnectToken(text);
  if (parsed.isErr()) return parsed;
  const token = parsed.value;
  if (!isFresh(token.iat, nowMs)) return err("iat_out_of_range");
  const valid = await verifyDomain(
    token.sessionKey,
    "nats-connect",
    natsConnectValue(token.iat, token.contractDigest),
    token.sig,
  );
  return valid ? ok(token) : err("invalid_signature");
}
