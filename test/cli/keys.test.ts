import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyConnectToken, verifyRequestProof } from "../../src/runtime/index.ts";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "trellis-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Vector = {
  name: string;
  seed: string;
  sessionKey: string;
  natsConnect: { contractDigest: string; iat: number; iatSig: string; runtimeToken: string };
  rpcProof: {
    subject: string;
    payload: string;
    iat: number;
    requestId: string;
    payloadHashBase64url: string;
    proofInputHex: string;
    proofDigestBase64url: string;
    proof: string;
  };
};
const vectors = JSON.parse(
  readFileSync(join(REPO_ROOT, "conformance", "auth-proof", "vectors.json"), "utf8"),
) as Vector[];

describe("trellis keys new", () => {
  test("prints a fresh seed and its session key; JSON has both", async () => {
    const text = await runTrellis(["keys", "new"]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^seed=[A-Za-z0-9_-]{43}\nsessionKey=[A-Za-z0-9_-]{43}\n$/);
    const json = JSON.parse((await runTrellis(["keys", "new", "--json"])).stdout);
    expect(Object.keys(json).sort()).toEqual(["seed", "sessionKey"]);
  });

  test("--out writes a 0600 seed file and never overwrites it without --force", async () => {
    const out = join(dir, "a.seed");
    const pub = join(dir, "a.pub");
    const first = await runTrellis(["keys", "new", "--out", out, "--pubout", pub, "--json"]);
    expect(first.exitCode).toBe(0);
    const printed = JSON.parse(first.stdout);
    expect(printed.seed).toBeUndefined();
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, "utf8")).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(readFileSync(pub, "utf8")).toBe(`${printed.sessionKey}\n`);
    const again = await runTrellis(["keys", "new", "--out", out]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain("--force");
    const before = readFileSync(out, "utf8");
    expect((await runTrellis(["keys", "new", "--out", out, "--pubout", pub, "--force"])).exitCode).toBe(0);
    expect(readFileSync(out, "utf8")).not.toBe(before);
  });

  test("--seed / --seed-file derive the key only; --out cannot be combined with them", async () => {
    const vector = vectors[0]!;
    const derived = await runTrellis(["keys", "new", "--seed", vector.seed, "--json"]);
    expect(JSON.parse(derived.stdout)).toEqual({ sessionKey: vector.sessionKey });
    const file = join(dir, "v.seed");
    writeFileSync(file, `  ${vector.seed}\n\n`);
    expect((await runTrellis(["keys", "new", "--seed-file", file])).stdout).toBe(`sessionKey=${vector.sessionKey}\n`);
    expect((await runTrellis(["keys", "new", "--seed", vector.seed, "--out", join(dir, "x")])).exitCode).toBe(2);
    expect((await runTrellis(["keys", "new", "--seed", `${vector.seed}=`])).exitCode).toBe(2);
    expect((await runTrellis(["keys", "new", "--seed", vector.seed.slice(0, 42)])).exitCode).toBe(2);
  });
});

describe("trellis keys token|proof reproduce the auth-proof vectors", () => {
  for (const vector of vectors) {
    test(`token: ${vector.name}`, async () => {
      const { natsConnect } = vector;
      const run = await runTrellis([
        "keys",
        "token",
        "--seed",
        vector.seed,
        "--digest",
        natsConnect.contractDigest,
        "--iat",
        String(natsConnect.iat),
        "--json",
      ]);
      expect(run.exitCode).toBe(0);
      const out = JSON.parse(run.stdout);
      expect(out.sessionKey).toBe(vector.sessionKey);
      expect(out.sig).toBe(natsConnect.iatSig);
      expect(out.token).toBe(natsConnect.runtimeToken);
      // Accepted as is; any altered field fails verification.
      const at = natsConnect.iat * 1000;
      expect((await verifyConnectToken(out.token, at)).isOk()).toBe(true);
      const token = JSON.parse(out.token);
      for (const altered of [
        { ...token, contractDigest: `${token.contractDigest}x` },
        { ...token, iat: token.iat + 1 },
        { ...token, sessionKey: vectors.find((v) => v.sessionKey !== token.sessionKey)?.sessionKey ?? "A".repeat(43) },
        { ...token, sig: `${token.sig.slice(0, -2)}${token.sig.endsWith("AA") ? "BA" : "AA"}` },
      ]) {
        const result = await verifyConnectToken(JSON.stringify(altered), at);
        expect(result.isErr() && result.error).toBe("invalid_signature");
      }
    });

    test(`proof: ${vector.name}`, async () => {
      const { rpcProof } = vector;
      const seedFile = join(dir, `${vector.sessionKey.slice(0, 8)}.seed`);
      writeFileSync(seedFile, `${vector.seed}\n`, { mode: 0o600 });
      const run = await runTrellis([
        "keys",
        "proof",
        "--seed-file",
        seedFile,
        "--subject",
        rpcProof.subject,
        "--payload",
        rpcProof.payload,
        "--request-id",
        rpcProof.requestId,
        "--iat",
        String(rpcProof.iat),
        "--json",
      ]);
      expect(run.exitCode).toBe(0);
      const out = JSON.parse(run.stdout);
      expect(out.payloadHashBase64url).toBe(rpcProof.payloadHashBase64url);
      expect(out.proofInputHex).toBe(rpcProof.proofInputHex);
      expect(out.proofDigestBase64url).toBe(rpcProof.proofDigestBase64url);
      expect(out.proof).toBe(rpcProof.proof);
      expect(out.headers).toEqual({
        "session-key": vector.sessionKey,
        proof: rpcProof.proof,
        iat: String(rpcProof.iat),
        "request-id": rpcProof.requestId,
      });
      const fields = {
        sessionKey: vector.sessionKey,
        subject: rpcProof.subject,
        payloadHash: new Uint8Array(Buffer.from(rpcProof.payloadHashBase64url, "base64url")),
        iat: rpcProof.iat,
        requestId: rpcProof.requestId,
      };
      expect(await verifyRequestProof(fields, rpcProof.proof)).toBe(true);
      const otherHash = new Uint8Array(fields.payloadHash);
      otherHash[0] = otherHash[0]! ^ 1;
      for (const altered of [
        { ...fields, subject: `${fields.subject}x` },
        { ...fields, payloadHash: otherHash },
        { ...fields, iat: fields.iat + 1 },
        { ...fields, requestId: `${fields.requestId}x` },
        {
          ...fields,
          sessionKey: vectors.find((v) => v.sessionKey !== vector.sessionKey)?.sessionKey ?? "A".repeat(43),
        },
      ]) {
        expect(await verifyRequestProof(altered, rpcProof.proof)).toBe(false);
      }
    });
  }

  test("text output lists the steps; a bad --iat is a usage error", async () => {
    const vector = vectors[0]!;
    const run = await runTrellis(["keys", "proof", "--seed", vector.seed, "--subject", "rpc.v1.X", "--iat", "100"]);
    expect(run.stdout).toContain("proofInputHex=");
    expect(run.stdout).toContain("proof=");
    expect(
      (await runTrellis(["keys", "proof", "--seed", vector.seed, "--subject", "x", "--iat", "012"])).exitCode,
    ).toBe(2);
    expect((await runTrellis(["keys", "token", "--digest", "d"])).exitCode).toBe(2);
  });
});
