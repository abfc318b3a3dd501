import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ed25519, nativeEd25519, nobleEd25519, webCryptoEd25519 } from "../../../src/runtime/index.ts";

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe("node:crypto Ed25519 (the runtime's default)", () => {
  test("is the default here, and signs exactly as WebCrypto and noble do", async () => {
    const native = (await nativeEd25519())!;
    assert.equal((await ed25519()).name, "node");
    const web = (await webCryptoEd25519())!;
    for (let i = 0; i < 8; i++) {
      const seed = bytes(32, i * 31 + 1);
      const message = bytes(32, i * 7 + 3);
      const publicKey = await native.publicKey(seed);
      assert.deepEqual(publicKey, await nobleEd25519.publicKey(seed));
      const signature = await native.signer(seed)(message);
      assert.deepEqual(signature, await nobleEd25519.signer(seed)(message));
      assert.deepEqual(signature, await web.signer(seed)(message));
    }
  });

  test("verifies alone (synchronously) and overlapping (on the thread pool) alike", async () => {
    const native = (await nativeEd25519())!;
    const seed = bytes(32, 9);
    const publicKey = await native.publicKey(seed);
    const sign = native.signer(seed);
    const messages = Array.from({ length: 64 }, (_, i) => bytes(32, i));
    const signatures = await Promise.all(messages.map((m) => sign(m)));
    assert.equal(await native.verify(publicKey, signatures[0]!, messages[0]!), true);
    const together = await Promise.all(messages.map((m, i) => native.verify(publicKey, signatures[i]!, m)));
    assert.deepEqual(
      together,
      messages.map(() => true),
    );
    // A wrong message, a bent signature and a malformed key fail on either path.
    const wrong = await Promise.all(messages.map((m, i) => native.verify(publicKey, signatures[(i + 1) % 64]!, m)));
    assert.deepEqual(
      wrong,
      messages.map(() => false),
    );
    const bent = new Uint8Array(signatures[0]!);
    bent[0]! ^= 1;
    assert.equal(await native.verify(publicKey, bent, messages[0]!), false);
    assert.equal(await native.verify(bytes(31, 1), signatures[0]!, messages[0]!), false);
  });
});
