import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import type { KeyPair } from "@nats-io/nkeys";
import { Codec } from "@nats-io/nkeys/lib/codec";
import nacl from "tweetnacl";
import { Prefix } from "@nats-io/nkeys/lib/nkeys";

/**
 * Speed for the callout's crypto, without changing a byte of it.
 *
 * The nkeys library runs tweetnacl in JavaScript and derives the key pair
 * from the seed on every `getPublicKey()` and `sign()`; minting one user JWT
 * and one response cost about 27 ms, and each xkey seal/open repeats an
 * X25519 scalar multiplication (2.5–3 ms). Ed25519 signatures are
 * deterministic, so a KeyPair whose `sign` runs node:crypto's native Ed25519
 * produces the very same signatures; the `@nats-io/jwt` encoders still build
 * and sign every JWT. For the xkey, the box's shared key depends only on the
 * two keys, so it is computed once per NATS server (`nacl.box.before`) and
 * each message uses `nacl.box.after` from the same tweetnacl the library
 * uses (tweetnacl), in the library's `xkv1` ‖ nonce ‖ box layout. Tests check both
 * against the library byte for byte (test/server/native-keys.test.ts).
 */

// PKCS#8 and SPKI DER prefixes of raw Ed25519 keys (auth.md §1).
const PKCS8 = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI = Buffer.from("302a300506032b6570032100", "hex");
const XKV1 = new Uint8Array([120, 107, 118, 49]);
const NONCE_BYTES = 24;
const encoder = new TextEncoder();

/** An nkey signing pair with native Ed25519; same public key, same signatures as the library's. */
export class NativeSigningKey implements KeyPair {
  readonly #publicKey: string;
  /** The encoded private key, derived once: the JWT encoders ask for it to check a signer is a seed. */
  readonly #encodedPrivate: Uint8Array;
  readonly #private: KeyObject;
  readonly #public: KeyObject;

  constructor(private readonly inner: KeyPair) {
    const { buf } = Codec.decodeSeed(inner.getSeed());
    this.#publicKey = inner.getPublicKey();
    this.#encodedPrivate = inner.getPrivateKey();
    this.#private = createPrivateKey({ key: Buffer.concat([PKCS8, buf]), format: "der", type: "pkcs8" });
    this.#public = createPublicKey(this.#private);
  }

  getPublicKey(): string {
    return this.#publicKey;
  }
  getPrivateKey(): Uint8Array {
    return this.#encodedPrivate;
  }
  getSeed(): Uint8Array {
    return this.inner.getSeed();
  }
  sign(input: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, input, this.#private));
  }
  verify(input: Uint8Array, signature: Uint8Array): boolean {
    return verify(null, input, this.#public, signature);
  }
  clear(): void {
    this.inner.clear();
  }
  seal(): Uint8Array {
    throw new Error("a signing key cannot seal");
  }
  open(): Uint8Array | null {
    throw new Error("a signing key cannot open");
  }
}

type CurveInternals = { seed?: Uint8Array; decodePubCurveKey(key: string): Uint8Array };

const SHARED_KEY_CACHE = 1024;

/** The callout xkey with the box's shared key cached per peer (a NATS server's xkey). */
export class CachedCurveKey implements KeyPair {
  readonly #shared = new Map<string, Uint8Array>();
  readonly #secret: Uint8Array;

  constructor(private readonly inner: KeyPair) {
    const secret = (inner as unknown as CurveInternals).seed;
    if (!(secret instanceof Uint8Array) || secret.length !== nacl.box.secretKeyLength) {
      throw new Error("not a curve key");
    }
    this.#secret = secret;
  }

  #sharedKey(peer: string): Uint8Array {
    let key = this.#shared.get(peer);
    if (key === undefined) {
      const raw = (this.inner as unknown as CurveInternals).decodePubCurveKey(peer);
      key = nacl.box.before(raw, this.#secret);
      if (this.#shared.size >= SHARED_KEY_CACHE) this.#shared.delete(this.#shared.keys().next().value!);
      this.#shared.set(peer, key);
    }
    return key;
  }

  seal(input: Uint8Array, recipient: string, nonce: Uint8Array = nacl.randomBytes(NONCE_BYTES)): Uint8Array {
    const box = nacl.box.after(input, nonce, this.#sharedKey(recipient));
    const out = new Uint8Array(XKV1.length + NONCE_BYTES + box.length);
    out.set(XKV1, 0);
    out.set(nonce, XKV1.length);
    out.set(box, XKV1.length + NONCE_BYTES);
    return out;
  }

  open(message: Uint8Array, sender: string): Uint8Array | null {
    if (message.length <= XKV1.length + NONCE_BYTES) return null;
    for (let i = 0; i < XKV1.length; i++) if (message[i] !== XKV1[i]) return null;
    const nonce = message.subarray(XKV1.length, XKV1.length + NONCE_BYTES);
    return nacl.box.open.after(message.subarray(XKV1.length + NONCE_BYTES), nonce, this.#sharedKey(sender));
  }

  getPublicKey(): string {
    return this.inner.getPublicKey();
  }
  getPrivateKey(): Uint8Array {
    return this.inner.getPrivateKey();
  }
  getSeed(): Uint8Array {
    return this.inner.getSeed();
  }
  clear(): void {
    this.inner.clear();
  }
  sign(): Uint8Array {
    throw new Error("a curve key cannot sign");
  }
  verify(): boolean {
    throw new Error("a curve key cannot verify");
  }
}

const serverKeys = new Map<string, KeyObject>();

/**
 * `decode` of `@nats-io/jwt` for the one JWT the callout receives per
 * connect, the server's authorization request, with the signature checked
 * by native Ed25519 (tweetnacl's verify costs 4–6 ms). Same rules: three
 * parts, `typ` JWT, `alg` ed25519-nkey, signature by `iss` over
 * `header.payload`; the issuer must be a server key. Throws like `decode`.
 */
export function decodeServerJwt(jwt: string): unknown {
  const parts = jwt.split(".");
  if (parts.length !== 3) throw new Error(`invalid jwt - ${parts.length} chunks`);
  const [header, payload, signature] = parts as [string, string, string];
  const head = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { typ?: string; alg?: string };
  if (head.typ !== "JWT" && head.typ !== "jwt") throw new Error("not a nats jwt");
  if (head.alg !== "ed25519-nkey") throw new Error(`unsupported jwt alg ${head.alg}`);
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown };
  if (typeof claims.iss !== "string" || !claims.iss.startsWith("N")) throw new Error("issuer is not a server key");
  let key = serverKeys.get(claims.iss);
  if (key === undefined) {
    const raw = Codec.decode(Prefix.Server, encoder.encode(claims.iss));
    key = createPublicKey({ key: Buffer.concat([SPKI, raw]), format: "der", type: "spki" });
    if (serverKeys.size >= SHARED_KEY_CACHE) serverKeys.clear();
    serverKeys.set(claims.iss, key);
  }
  if (!verify(null, encoder.encode(`${header}.${payload}`), key, Buffer.from(signature, "base64url"))) {
    throw new Error("sig verification failed");
  }
  return claims;
}
