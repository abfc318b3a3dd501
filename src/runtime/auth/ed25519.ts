import * as noble from "@noble/ed25519";
import { createNativeEd25519 } from "./native-ed25519.ts";

/**
 * Ed25519 (pure, RFC 8032) with the fastest implementation available:
 * node:crypto (Node.js and Bun; synchronous, or on the thread pool for
 * overlapping verifications: `native-ed25519.ts`), else WebCrypto, else the
 * audited pure-JS `@noble/ed25519`. All are kept for the benchmarks.
 */
export interface Ed25519 {
  readonly name: "node" | "webcrypto" | "noble";
  publicKey(seed: Uint8Array): Promise<Uint8Array>;
  /** A signer bound to one seed; key import happens once. */
  signer(seed: Uint8Array): (message: Uint8Array) => Promise<Uint8Array>;
  verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean>;
}

// PKCS#8 DER prefix for a raw Ed25519 seed (auth.md §1).
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const ALGORITHM = { name: "Ed25519" } as const;
/** Imported verification keys, by public key; bounded so that unknown callers cannot grow it forever. */
const VERIFY_KEY_CACHE_SIZE = 4096;

function pkcs8(seed: Uint8Array): Uint8Array {
  const der = new Uint8Array(PKCS8_PREFIX.length + seed.length);
  der.set(PKCS8_PREFIX);
  der.set(seed, PKCS8_PREFIX.length);
  return der;
}

/** Copies into a fresh ArrayBuffer-backed array, which WebCrypto's typings insist on. */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

function createWebCrypto(): Ed25519 {
  const subtle = globalThis.crypto.subtle;
  // Promise<CryptoKey>, spelled so that it type-checks with Node.js typings too (no DOM lib).
  const verifyKeys = new Map<string, ReturnType<typeof subtle.importKey>>();
  const verifyKey = (publicKey: Uint8Array) => {
    const id = Buffer.from(publicKey).toString("base64url");
    let key = verifyKeys.get(id);
    if (key === undefined) {
      key = subtle.importKey("raw", own(publicKey), ALGORITHM, false, ["verify"]);
      if (verifyKeys.size >= VERIFY_KEY_CACHE_SIZE) verifyKeys.delete(verifyKeys.keys().next().value!);
      verifyKeys.set(id, key);
      key.catch(() => verifyKeys.delete(id));
    }
    return key;
  };
  return {
    name: "webcrypto",
    async publicKey(seed) {
      const key = await subtle.importKey("pkcs8", own(pkcs8(seed)), ALGORITHM, true, ["sign"]);
      const jwk = await subtle.exportKey("jwk", key);
      return new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"));
    },
    signer(seed) {
      const key = subtle.importKey("pkcs8", own(pkcs8(seed)), ALGORITHM, false, ["sign"]);
      return async (message) => new Uint8Array(await subtle.sign(ALGORITHM, await key, own(message)));
    },
    async verify(publicKey, signature, message) {
      try {
        return await subtle.verify(ALGORITHM, await verifyKey(publicKey), own(signature), own(message));
      } catch {
        // A public key WebCrypto refuses to import cannot have made the signature.
        return false;
      }
    },
  };
}

export const nobleEd25519: Ed25519 = {
  name: "noble",
  publicKey: (seed) => noble.getPublicKeyAsync(seed),
  signer: (seed) => (message) => noble.signAsync(message, seed),
  async verify(publicKey, signature, message) {
    try {
      return await noble.verifyAsync(signature, message, publicKey);
    } catch {
      return false;
    }
  },
};

/** The candidate if it can really sign and verify Ed25519 here (a round trip on a zero seed), else undefined. */
async function probe(create: () => Ed25519): Promise<Ed25519 | undefined> {
  try {
    const candidate = create();
    const seed = new Uint8Array(32);
    const signature = await candidate.signer(seed)(new Uint8Array(32));
    return (await candidate.verify(await candidate.publicKey(seed), signature, new Uint8Array(32)))
      ? candidate
      : undefined;
  } catch {
    return undefined;
  }
}

let webCryptoSupport: Promise<Ed25519 | undefined> | undefined;

/** WebCrypto if it can really sign and verify Ed25519 here, else undefined. */
export function webCryptoEd25519(): Promise<Ed25519 | undefined> {
  webCryptoSupport ??= probe(createWebCrypto);
  return webCryptoSupport;
}

let nativeSupport: Promise<Ed25519 | undefined> | undefined;

/** node:crypto's Ed25519 if it can really sign and verify here. */
export function nativeEd25519(): Promise<Ed25519 | undefined> {
  nativeSupport ??= probe(createNativeEd25519);
  return nativeSupport;
}

/** The implementation every Trellis signature and verification uses. */
export async function ed25519(): Promise<Ed25519> {
  return (await nativeEd25519()) ?? (await webCryptoEd25519()) ?? nobleEd25519;
}
