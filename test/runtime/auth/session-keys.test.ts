import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import { nobleEd25519, SessionKeys, webCryptoEd25519 } from "../../../src/runtime/index.ts";
import { assertIncludes } from "../../support/assert.ts";

describe("SessionKeys", () => {
  test("never shows its seed in JSON, strings or inspection", async () => {
    const keys = await SessionKeys.generate();
    const seed = keys.exportSeed();
    assert.match(seed, /^[A-Za-z0-9_-]{43}$/);
    for (const shown of [JSON.stringify(keys), String(keys), inspect(keys), JSON.stringify({ nested: { keys } })]) {
      assert.ok(!shown.includes(seed));
      assertIncludes(shown, keys.sessionKey);
    }
  });

  test("a malformed seed is a ValidationError naming the seed", async () => {
    const result = await SessionKeys.fromSeed("too-short");
    assert.equal(result.isErr(), true);
    if (result.isErr()) assert.equal(result.error.issues[0]?.path, "/seed");
  });

  test("two generated key pairs differ", async () => {
    const [a, b] = await Promise.all([SessionKeys.generate(), SessionKeys.generate()]);
    assert.notEqual(a.sessionKey, b.sessionKey);
  });
});

describe("Ed25519 implementations", () => {
  test("WebCrypto is available on this runtime and agrees with noble byte for byte", async () => {
    const webCrypto = await webCryptoEd25519();
    assert.equal(webCrypto?.name, "webcrypto");
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const message = crypto.getRandomValues(new Uint8Array(32));
    const publicKey = await nobleEd25519.publicKey(seed);
    assert.equal(Buffer.from(await webCrypto!.publicKey(seed)).equals(Buffer.from(publicKey)), true);
    const fromNoble = await nobleEd25519.signer(seed)(message);
    const fromWebCrypto = await webCrypto!.signer(seed)(message);
    assert.equal(Buffer.from(fromNoble).equals(Buffer.from(fromWebCrypto)), true);
    assert.equal(await webCrypto!.verify(publicKey, fromNoble, message), true);
    assert.equal(await nobleEd25519.verify(publicKey, fromWebCrypto, message), true);
    message[0] = message[0]! ^ 1;
    assert.equal(await webCrypto!.verify(publicKey, fromNoble, message), false);
    assert.equal(await nobleEd25519.verify(publicKey, fromNoble, message), false);
  });

  test("a public key that is not a curve point verifies nothing instead of throwing", async () => {
    const webCrypto = (await webCryptoEd25519())!;
    const bogus = new Uint8Array(32).fill(0xff);
    assert.equal(await webCrypto.verify(bogus, new Uint8Array(64), new Uint8Array(32)), false);
    assert.equal(await nobleEd25519.verify(bogus, new Uint8Array(64), new Uint8Array(32)), false);
  });
});
