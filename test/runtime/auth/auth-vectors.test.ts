import assert from "node:assert/strict";
import { describe, test } from "node:test";
import vectors from "../../../conformance/auth-proof/vectors.json" with { type: "json" };
import {
  base64urlDecode,
  createConnectToken,
  oauthInitValue,
  payloadHash,
  proofInput,
  SessionKeys,
  signRequest,
  verifyConnectToken,
  verifyDomain,
  verifyRequestProof,
} from "../../../src/runtime/index.ts";

const encoder = new TextEncoder();

/** Flips one character of a base64url string into another valid one. */
function tamper(text: string, at = Math.floor(text.length / 2)): string {
  const replacement = text[at] === "A" ? "B" : "A";
  return `${text.slice(0, at)}${replacement}${text.slice(at + 1)}`;
}

for (const vector of vectors) {
  describe(`auth-proof vector ${vector.name}`, () => {
    const oauthValue = oauthInitValue({ redirectTo: vector.oauthInit.redirectTo }).orThrow();

    test("the seed reproduces the session key, signatures, token and proof byte for byte", async () => {
      const keys = (await SessionKeys.fromSeed(vector.seed)).orThrow();
      assert.equal(keys.sessionKey, vector.sessionKey);
      assert.equal(
        await createConnectToken(keys, vector.natsConnect.contractDigest, vector.natsConnect.iat),
        vector.natsConnect.runtimeToken,
      );
      const { rpcProof } = vector;
      const body = encoder.encode(rpcProof.payload);
      const input = proofInput({ ...rpcProof, sessionKey: keys.sessionKey, payloadHash: payloadHash(body) });
      assert.equal(Buffer.from(input).toString("hex"), rpcProof.proofInputHex);
      const headers = await signRequest(keys, {
        subject: rpcProof.subject,
        body,
        iat: rpcProof.iat,
        requestId: rpcProof.requestId,
      });
      assert.deepStrictEqual(headers, {
        "session-key": vector.sessionKey,
        proof: rpcProof.proof,
        iat: String(rpcProof.iat),
        "request-id": rpcProof.requestId,
      });
    });

    test("altering any field of the domain signatures makes verification fail", async () => {
      const { sessionKey, oauthInit, flowBind, natsConnect } = vector;
      assert.equal(await verifyDomain(sessionKey, "oauth-init", oauthValue, oauthInit.sig), true);
      assert.equal(await verifyDomain(sessionKey, "oauth-init", `${oauthValue}x`, oauthInit.sig), false);
      assert.equal(await verifyDomain(sessionKey, "oauth-init", oauthValue, tamper(oauthInit.sig)), false);
      assert.equal(await verifyDomain(tamper(sessionKey), "oauth-init", oauthValue, oauthInit.sig), false);
      // The same signature under another domain is not valid (domain separation).
      assert.equal(await verifyDomain(sessionKey, "bind-flow", oauthValue, oauthInit.sig), false);

      assert.equal(await verifyDomain(sessionKey, "bind-flow", flowBind.flowId, flowBind.sig), true);
      assert.equal(await verifyDomain(sessionKey, "bind-flow", `${flowBind.flowId}-2`, flowBind.sig), false);
      assert.equal(await verifyDomain(sessionKey, "bind-flow", flowBind.flowId, tamper(flowBind.sig)), false);

      const connectValue = `${natsConnect.iat}:${natsConnect.contractDigest}`;
      assert.equal(await verifyDomain(sessionKey, "nats-connect", connectValue, natsConnect.iatSig), true);
      assert.equal(
        await verifyDomain(
          sessionKey,
          "nats-connect",
          `${natsConnect.iat + 1}:${natsConnect.contractDigest}`,
          natsConnect.iatSig,
        ),
        false,
      );
      assert.equal(
        await verifyDomain(
          sessionKey,
          "nats-connect",
          `${natsConnect.iat}:${natsConnect.contractDigest}x`,
          natsConnect.iatSig,
        ),
        false,
      );
    });

    test("the connect token verifies, and fails with the right reason for every altered field", async () => {
      const nowMs = vector.natsConnect.iat * 1000;
      const token = JSON.parse(vector.natsConnect.runtimeToken) as Record<string, unknown>;
      const verify = (value: unknown, at = nowMs) => verifyConnectToken(JSON.stringify(value), at);
      assert.equal((await verify(token)).isOk(), true);
      const reasonOf = async (value: unknown, at = nowMs) =>
        (await verify(value, at)).match({ ok: () => "ok", err: (reason) => reason });
      assert.equal(await reasonOf({ ...token, contractDigest: "digest-other" }), "invalid_signature");
      assert.equal(await reasonOf({ ...token, iat: (token.iat as number) + 1 }), "invalid_signature");
      assert.equal(await reasonOf({ ...token, sessionKey: tamper(token.sessionKey as string) }), "invalid_signature");
      assert.equal(await reasonOf({ ...token, sig: tamper(token.sig as string) }), "invalid_signature");
      assert.equal(await reasonOf({ ...token, v: 2 }), "unsupported_protocol_version");
      assert.equal(await reasonOf({ ...token, sessionKey: "" }), "missing_session_key");
      assert.equal(await reasonOf({ ...token, sig: "" }), "missing_sig");
      assert.equal(await reasonOf({ ...token, iat: 1.5 }), "invalid_auth_token");
      assert.equal(await reasonOf({ ...token, contractDigest: "not a digest" }), "invalid_auth_token");
      assert.equal(await reasonOf(token, nowMs + 31_000), "iat_out_of_range");
      assert.equal(await reasonOf(token, nowMs - 31_000), "iat_out_of_range");
      assert.equal(await reasonOf(token, nowMs + 30_999), "ok");
      // Key order is free for verifiers.
      const reordered = Object.fromEntries(Object.entries(token).reverse());
      assert.equal(await reasonOf(reordered), "ok");
      assert.equal((await verifyConnectToken(undefined)).isErr(), true);
      assert.equal(
        (await verifyConnectToken("[1]")).match({ ok: () => "", err: (reason) => reason }),
        "invalid_auth_token",
      );
    });

    test("the RPC proof verifies only for the exact sessionKey, subject, body, iat and request id", async () => {
      const { rpcProof } = vector;
      const fields = {
        sessionKey: vector.sessionKey,
        subject: rpcProof.subject,
        payloadHash: payloadHash(encoder.encode(rpcProof.payload)),
        iat: rpcProof.iat,
        requestId: rpcProof.requestId,
      };
      assert.equal(await verifyRequestProof(fields, rpcProof.proof), true);
      assert.equal(await verifyRequestProof({ ...fields, subject: `${rpcProof.subject}X` }, rpcProof.proof), false);
      assert.equal(
        await verifyRequestProof(
          { ...fields, payloadHash: payloadHash(encoder.encode(`${rpcProof.payload} `)) },
          rpcProof.proof,
        ),
        false,
      );
      assert.equal(await verifyRequestProof({ ...fields, iat: rpcProof.iat + 1 }, rpcProof.proof), false);
      assert.equal(await verifyRequestProof({ ...fields, requestId: `${rpcProof.requestId}2` }, rpcProof.proof), false);
      assert.equal(
        await verifyRequestProof({ ...fields, sessionKey: tamper(vector.sessionKey) }, rpcProof.proof),
        false,
      );
      assert.equal(await verifyRequestProof(fields, tamper(rpcProof.proof)), false);
      assert.equal(await verifyRequestProof(fields, `${rpcProof.proof}A`), false);
    });
  });
}

describe("length prefixes", () => {
  test("moving a boundary between subject and request id changes the proof input", () => {
    const hash = payloadHash(new Uint8Array());
    const a = proofInput({ sessionKey: "k", subject: "rpc.v1.A", payloadHash: hash, iat: 1, requestId: "Bc" });
    const b = proofInput({ sessionKey: "k", subject: "rpc.v1.AB", payloadHash: hash, iat: 1, requestId: "c" });
    assert.equal(Buffer.from(a).equals(Buffer.from(b)), false);
  });

  test("an empty body hashes zero bytes", () => {
    assert.equal(
      Buffer.from(payloadHash(new Uint8Array())).toString("hex"),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });
});

describe("strict base64url", () => {
  const seed = vectors[0]!.seed;
  test("a 43-character seed decodes to 32 bytes", () => {
    assert.equal(base64urlDecode(seed, 32).isOk(), true);
  });
  const refused = [
    ["padding", `${seed}=`, "padding"],
    ["a character outside the alphabet", `${seed.slice(0, 42)}+`, "alphabet"],
    ["non-canonical trailing bits", `${seed.slice(0, 42)}${seed.endsWith("f") ? "g" : "f"}`, "trailing-bits"],
    ["a wrong length", seed.slice(0, 40), "length"],
    ["an impossible length", "AAAAA", "length"],
  ] as const;
  for (const [what, text, problem] of refused) {
    test(`refuses ${what}`, () => {
      assert.equal(base64urlDecode(text, 32).match({ ok: () => "accepted", err: (reason) => reason }), problem);
    });
  }
});
