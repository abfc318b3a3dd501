import { describe, expect, test } from "bun:test";
import {
  createAccount,
  createCurve,
  createServer,
  createUser,
  decode,
  encode,
  encodeAuthorizationResponse,
  encodeUser,
  Algorithms,
} from "@nats-io/jwt";
import { jwtAuthenticator } from "@nats-io/nats-core";
import { calloutAuthenticator, createConnectToken, ServerClock, SessionKeys } from "../../src/runtime/index.ts";
import { CachedCurveKey, decodeServerJwt, NativeSigningKey } from "../../src/server/callout/native-keys.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("native Ed25519 behind the nkeys KeyPair (same bytes as the library)", () => {
  test("signatures, public keys and JWTs are identical to the library's", async () => {
    const library = createAccount();
    const native = new NativeSigningKey(library);
    expect(native.getPublicKey()).toBe(library.getPublicKey());
    expect(native.getPrivateKey()).toEqual(library.getPrivateKey());
    for (const message of ["", "nonce", "x".repeat(5000)]) {
      expect(native.sign(bytes(message))).toEqual(library.sign(bytes(message)));
      expect(library.verify(bytes(message), native.sign(bytes(message)))).toBe(true);
    }
    // The encoders sign with whichever KeyPair they get; the library's decode accepts ours.
    const account = createAccount().getPublicKey();
    const user = createUser();
    const jwt = await encodeUser("svc", user, account, { pub: { allow: ["a.b"] } }, { signer: native, exp: 2e9 });
    const claims = decode<{ pub: { allow: string[] }; issuer_account: string }>(jwt);
    expect(claims.iss).toBe(library.getPublicKey());
    expect(claims.nats.issuer_account).toBe(account);
    expect(claims.nats.pub?.allow).toEqual(["a.b"]);
    const response = await encodeAuthorizationResponse(user, createServer(), account, { jwt }, { signer: native });
    expect(decode(response).iss).toBe(library.getPublicKey());
  });
});

describe("the cached xkey box (same layout as the library's seal/open)", () => {
  test("seal with a given nonce is byte-identical; each opens the other's", () => {
    const ours = createCurve();
    const server = createCurve();
    const cached = new CachedCurveKey(ours);
    const nonce = crypto.getRandomValues(new Uint8Array(24));
    const message = bytes("an authorization response");
    expect(cached.seal(message, server.getPublicKey(), nonce)).toEqual(
      ours.seal(message, server.getPublicKey(), nonce),
    );
    const fromServer = server.seal(message, ours.getPublicKey());
    expect(cached.open(fromServer, server.getPublicKey())).toEqual(message);
    expect(server.open(cached.seal(message, server.getPublicKey()), ours.getPublicKey())).toEqual(message);
    // Tampering fails as the library fails: no plaintext.
    const tampered = new Uint8Array(fromServer);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
    expect(cached.open(tampered, server.getPublicKey())).toBeNull();
    expect(cached.open(bytes("xkv2........................................"), server.getPublicKey())).toBeNull();
    expect(cached.getPublicKey()).toBe(ours.getPublicKey());
  });
});

describe("decodeServerJwt accepts what the library's decode accepts", () => {
  test("valid request JWTs decode to the same claims; tampering and non-server issuers are refused", async () => {
    const server = createServer();
    const claim = {
      aud: "nats-authorization-request",
      jti: "",
      iat: 0,
      iss: "",
      name: "",
      sub: createUser().getPublicKey(),
      nats: { type: "authorization_request", user_nkey: createUser().getPublicKey() },
    };
    const jwt = await encode(Algorithms.v2, claim as never, server);
    expect(decodeServerJwt(jwt)).toEqual(decode(jwt));
    const [h, p, s] = jwt.split(".") as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ ...decode(jwt), aud: "x" })).toString("base64url");
    for (const bad of [`${h}.${otherPayload}.${s}`, `${h}.${p}.${s.slice(0, -4)}AAAA`, `${h}.${p}`, "a.b.c"]) {
      expect(() => decode(bad)).toThrow();
      expect(() => decodeServerJwt(bad)).toThrow();
    }
    const byAccount = await encode(Algorithms.v2, claim as never, createAccount());
    expect(() => decodeServerJwt(byAccount)).toThrow(/server key/);
  });
});

describe("calloutAuthenticator", () => {
  test("sends the sentinel JWT, nats.js's own nonce signature, and a fresh canonical connect token", async () => {
    const sentinelKey = createUser();
    const sentinel = {
      jwt: await encodeUser("sentinel", sentinelKey, createAccount()),
      seed: new TextDecoder().decode(sentinelKey.getSeed()),
    };
    const keys = await SessionKeys.generate();
    const clock = new ServerClock();
    const auth = calloutAuthenticator({ sentinel, keys, contractDigest: "digest-x", clock });
    const reference = jwtAuthenticator(sentinel.jwt, bytes(sentinel.seed))("nonce-1") as unknown as Record<
      string,
      string
    >;
    const sent = auth("nonce-1") as unknown as Record<string, string>;
    expect(sent.jwt).toBe(reference.jwt!);
    expect(sent.nkey).toBe(reference.nkey!);
    expect(sent.sig).toBe(reference.sig!);
    const token = JSON.parse(sent.auth_token!) as { iat: number };
    expect(sent.auth_token).toBe(await createConnectToken(keys, "digest-x", token.iat));
    clock.offsetMs = 60_000;
    const later = JSON.parse((auth("nonce-2") as unknown as Record<string, string>).auth_token!) as { iat: number };
    expect(later.iat).toBeGreaterThanOrEqual(token.iat + 59);
  });
});
