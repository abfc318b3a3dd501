import { createHash, createPrivateKey, sign, type KeyObject } from "node:crypto";
import type { Authenticator } from "@nats-io/nats-core";
import { fromSeed } from "@nats-io/nkeys";
import { Codec } from "@nats-io/nkeys/lib/codec.js"; // with .js: Node.js resolves no extensions in a package without "exports"
import { canonicalJson } from "../../contracts/index.ts";
import { base64urlDecode, base64urlEncode, KEY_BYTES } from "../auth/base64url.ts";
import type { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import { natsConnectValue } from "../auth/signatures.ts";
import type { SentinelCredentials } from "./sentinel-creds.ts";

// PKCS#8 DER prefix of a raw Ed25519 seed (auth.md §1).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export type CalloutAuthenticatorOptions = {
  /** From bootstrap `connectInfo.transport.sentinel`, or a creds file (`parseCredsText`). */
  sentinel: SentinelCredentials;
  keys: SessionKeys;
  /** The digest of the contract this connection presents; signed, so it cannot be swapped. */
  contractDigest: string;
  /** Server-corrected time for `iat` (auth.md §3 "Clock offset"). */
  clock: ServerClock;
};

/**
 * The nats.js `authenticator` for a Trellis connection (auth.md §3): the
 * sentinel JWT with the nonce signed by its seed, plus a fresh connect token
 * as `auth_token`, built again on every connect and reconnect.
 *
 * nats.js calls authenticators synchronously, while `SessionKeys` signs
 * asynchronously (WebCrypto); so the token is signed here with node:crypto's
 * synchronous Ed25519 from the same seed, imported once. The bytes are
 * identical: pure Ed25519 over `SHA-256("nats-connect:" + iat + ":" + digest)`.
 * The nonce signature is the one nats.js's `jwtAuthenticator` makes (standard
 * base64 of the nkey's Ed25519 signature over the nonce), also native: the
 * nkeys library derives the key pair in JavaScript twice per call (~8 ms).
 */
export function calloutAuthenticator(options: CalloutAuthenticatorOptions): Authenticator {
  const { keys, contractDigest, clock } = options;
  const sentinelSeed = new TextEncoder().encode(options.sentinel.seed);
  const sentinelKey = fromSeed(sentinelSeed).getPublicKey();
  const sentinelSigner = ed25519Key(Codec.decodeSeed(sentinelSeed).buf);
  const sessionSigner = ed25519Key(base64urlDecode(keys.exportSeed(), KEY_BYTES).orThrow());
  return (nonce?: string) => {
    const iat = clock.iat();
    const digest = createHash("sha256")
      .update(`nats-connect:${natsConnectValue(iat, contractDigest)}`)
      .digest();
    const sig = base64urlEncode(new Uint8Array(sign(null, digest, sessionSigner)));
    const token = canonicalJson({ v: 1, sessionKey: keys.sessionKey, contractDigest, iat, sig }).orThrow();
    const nonceSig = nonce ? sign(null, Buffer.from(nonce, "utf8"), sentinelSigner).toString("base64") : "";
    return { jwt: options.sentinel.jwt, nkey: sentinelKey, sig: nonceSig, auth_token: token };
  };
}

function ed25519Key(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
}
