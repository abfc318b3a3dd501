import { err, ok, ValidationError, type Result } from "../../contracts/index.ts";
import { base64urlDecode, base64urlEncode, KEY_BYTES } from "./base64url.ts";
import { ed25519 } from "./ed25519.ts";

const REDACTED = "[SessionKeys: seed hidden]";

/**
 * A principal's Ed25519 key pair (auth.md §1): the seed signs, the base64url
 * public key is the session key. The seed never leaves except through
 * `exportSeed()`; `toJSON` and inspection show only the session key, so a
 * stray log line cannot leak it.
 */
export class SessionKeys {
  readonly #seed: Uint8Array;
  readonly #sign: (message: Uint8Array) => Promise<Uint8Array>;

  private constructor(
    seed: Uint8Array,
    readonly sessionKey: string,
    sign: (message: Uint8Array) => Promise<Uint8Array>,
  ) {
    this.#seed = seed;
    this.#sign = sign;
  }

  static async fromSeedBytes(seed: Uint8Array): Promise<SessionKeys> {
    if (seed.length !== KEY_BYTES) throw new Error(`an Ed25519 seed is ${KEY_BYTES} bytes, got ${seed.length}`);
    const crypto = await ed25519();
    const copy = new Uint8Array(seed);
    return new SessionKeys(copy, base64urlEncode(await crypto.publicKey(copy)), crypto.signer(copy));
  }

  /** Decodes a base64url seed strictly (43 characters, 32 bytes). */
  static async fromSeed(seed: string): Promise<Result<SessionKeys, ValidationError>> {
    const decoded = base64urlDecode(seed, KEY_BYTES);
    if (decoded.isErr()) {
      return err(
        new ValidationError([
          {
            path: "/seed",
            message: `not a base64url Ed25519 seed (${decoded.error}): expected 43 characters encoding 32 bytes`,
          },
        ]),
      );
    }
    return ok(await SessionKeys.fromSeedBytes(decoded.value));
  }

  /** A new key pair from the platform CSPRNG. */
  static generate(): Promise<SessionKeys> {
    return SessionKeys.fromSeedBytes(globalThis.crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
  }

  /** The base64url seed, for writing a seed file. The only way to read it. */
  exportSeed(): string {
    return base64urlEncode(this.#seed);
  }

  /** Signs a 32-byte digest (every Trellis signature is `sign(seed, hash(m))`); base64url. */
  async signDigest(digest: Uint8Array): Promise<string> {
    return base64urlEncode(await this.#sign(digest));
  }

  toJSON(): { sessionKey: string } {
    return { sessionKey: this.sessionKey };
  }

  toString(): string {
    return `${REDACTED} ${this.sessionKey}`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
