import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import type { Ed25519 } from "./ed25519.ts";

// DER prefixes of a raw Ed25519 seed (PKCS#8) and public key (SPKI), auth.md §1.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const VERIFY_KEY_CACHE_SIZE = 4096;

const privateKey = (seed: Uint8Array) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });

/**
 * node:crypto's Ed25519 (Node.js and Bun). Measured here (bench/RESULTS.md):
 * a synchronous sign takes ~18 µs against ~59 µs for a WebCrypto sign, a
 * synchronous verify ~63 µs against ~130 µs; running off the event loop (the
 * callback form, on the thread pool, or WebCrypto) costs latency but pays
 * once requests overlap. So a signature or verification with none other in
 * flight is made synchronously (the lowest latency), and while one is in
 * flight the next goes to the thread pool (another core). Signatures are
 * identical to WebCrypto's and noble's (Ed25519 is deterministic).
 */
export function createNativeEd25519(): Ed25519 {
  const verifyKeys = new Map<string, KeyObject>();
  const verifyKey = (publicKey: Uint8Array): KeyObject => {
    const id = Buffer.from(publicKey).toString("base64url");
    let key = verifyKeys.get(id);
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
      if (verifyKeys.size >= VERIFY_KEY_CACHE_SIZE) verifyKeys.delete(verifyKeys.keys().next().value!);
      verifyKeys.set(id, key);
    }
    return key;
  };
  let offloaded = 0;
  return {
    name: "node",
    async publicKey(seed) {
      const jwk = createPublicKey(privateKey(seed)).export({ format: "jwk" });
      return new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"));
    },
    signer(seed) {
      const key = privateKey(seed);
      let signing = 0;
      return async (message) => {
        signing++;
        if (signing > 1) {
          return new Promise<Uint8Array>((resolve, reject) =>
            sign(null, message, key, (error, signature) => {
              signing--;
              if (error === null) resolve(new Uint8Array(signature));
              else reject(error);
            }),
          );
        }
        try {
          return new Uint8Array(sign(null, message, key));
        } finally {
          queueMicrotask(() => signing--);
        }
      };
    },
    async verify(publicKey, signature, message) {
      let key: KeyObject;
      try {
        if (publicKey.length !== 32) return false;
        key = verifyKey(publicKey);
      } catch {
        // A key node:crypto refuses to import cannot have made the signature.
        return false;
      }
      offloaded++;
      if (offloaded > 1) {
        return new Promise<boolean>((resolve) =>
          verify(null, message, key, signature, (error, valid) => {
            offloaded--;
            resolve(error === null && valid);
          }),
        );
      }
      try {
        return verify(null, message, key, signature);
      } catch {
        return false;
      } finally {
        // Counted until the caller resumes, so requests dispatched meanwhile go to the thread pool.
        queueMicrotask(() => offloaded--);
      }
    },
  };
}
