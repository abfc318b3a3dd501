import { describe, expect, test } from "bun:test";
import { inspect } from "node:util";
import { nobleEd25519, SessionKeys, webCryptoEd25519 } from "../../../src/runtime/index.ts";

describe("SessionKeys", () => {
  test("never shows its seed in JSON, strings or inspection", async () => {
    const keys = await SessionKeys.generate();
    const seed = keys.exportSeed();
    expect(seed).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const shown of [JSON.stringify(keys), String(keys), inspect(keys), JSON.stringify({ nested: { keys } })]) {
      expect(shown).not.toContain(seed);
      expect(shown).toContain(keys.sessionKey);
    }
  });

  test("a malformed seed is a ValidationError naming the seed", async () => {
    const result = await SessionKeys.fromSeed("too-short");
    expect(result.isErr()).toBe(true);
    if (result.isErr()) expect(result.error.issues[0]?.path).toBe("/seed");
  });

  test("two generated key pairs differ", async () => {
    const [a, b] = await Promise.all([SessionKeys.generate(), SessionKeys.generate()]);
    expect(a.sessionKey).not.toBe(b.sessionKey);
  });
});

describe("Ed25519 implementations", () => {
  test("WebCrypto is available on this runtime and agrees with noble byte for byte", async () => {
    const webCrypto = await webCryptoEd25519();
    expect(webCrypto?.name).toBe("webcrypto");
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const message = crypto.getRandomValues(new Uint8Array(32));
    const publicKey = await nobleEd25519.publicKey(seed);
    expect(Buffer.from(await webCrypto!.publicKey(seed)).equals(Buffer.from(publicKey))).toBe(true);
    const fromNoble = await nobleEd25519.signer(seed)(message);
    const fromWebCrypto = await webCrypto!.signer(seed)(message);
    expect(Buffer.from(fromNoble).equals(Buffer.from(fromWebCrypto))).toBe(true);
    expect(await webCrypto!.verify(publicKey, fromNoble, message)).toBe(true);
    expect(await nobleEd25519.verify(publicKey, fromWebCrypto, message)).toBe(true);
    message[0] = message[0]! ^ 1;
    expect(await webCrypto!.verify(publicKey, fromNoble, message)).toBe(false);
    expect(await nobleEd25519.verify(publicKey, fromNoble, message)).toBe(false);
  });

  test("a public key that is not a curve point verifies nothing instead of throwing", async () => {
    const webCrypto = (await webCryptoEd25519())!;
    const bogus = new Uint8Array(32).fill(0xff);
    expect(await webCrypto.verify(bogus, new Uint8Array(64), new Uint8Array(32))).toBe(false);
    expect(await nobleEd25519.verify(bogus, new Uint8Array(64), new Uint8Array(32))).toBe(false);
  });
});
