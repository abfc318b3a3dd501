import { canonicalJson, ok, sha256, type Result, type ValidationError } from "../../contracts/index.ts";
import { base64urlDecode, KEY_BYTES, SIGNATURE_BYTES } from "./base64url.ts";
import { ed25519 } from "./ed25519.ts";
import type { SessionKeys } from "./session-keys.ts";

/** The signature domains of auth.md §2. */
export type SignatureDomain = "oauth-init" | "bind-flow" | "nats-connect" | "bootstrap-client" | "logout-session";

const encoder = new TextEncoder();

/** `SHA-256(UTF-8(domain + ":" + value))`, the 32 bytes that are actually signed. */
export function domainDigest(domain: SignatureDomain, value: string): Uint8Array {
  return sha256(encoder.encode(`${domain}:${value}`));
}

export function signDomain(keys: SessionKeys, domain: SignatureDomain, value: string): Promise<string> {
  return keys.signDigest(domainDigest(domain, value));
}

/** Verifies a base64url signature over a digest; any decoding failure is a failed verification. */
export async function verifyDigestSignature(
  sessionKey: string,
  digest: Uint8Array,
  signature: string,
): Promise<boolean> {
  const publicKey = base64urlDecode(sessionKey, KEY_BYTES);
  const sig = base64urlDecode(signature, SIGNATURE_BYTES);
  if (publicKey.isErr() || sig.isErr()) return false;
  return (await ed25519()).verify(publicKey.value, sig.value, digest);
}

export function verifyDomain(
  sessionKey: string,
  domain: SignatureDomain,
  value: string,
  signature: string,
): Promise<boolean> {
  return verifyDigestSignature(sessionKey, domainDigest(domain, value), signature);
}

/** The signed text of `nats-connect` (connect tokens and service bootstrap). */
export const natsConnectValue = (iat: number, contractDigest: string) => `${iat}:${contractDigest}`;

/**
 * `oauth-init` (auth.md §2): the short form `redirectTo:ctx` when no contract
 * is presented, else `redirectTo:provider:presentation:ctx` where the
 * presentation is the manifest object or the digest string (JSON-quoted).
 */
export function oauthInitValue(input: {
  redirectTo: string;
  context?: unknown;
  provider?: string;
  presentation?: unknown;
}): Result<string, ValidationError> {
  return canonicalJson(input.context ?? null).andThen((ctx) =>
    input.presentation === undefined
      ? ok(`${input.redirectTo}:${ctx}`)
      : canonicalJson(input.presentation).map(
          (presentation) => `${input.redirectTo}:${input.provider ?? ""}:${presentation}:${ctx}`,
        ),
  );
}
