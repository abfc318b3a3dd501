import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { ulid } from "ulid";
import { authContract, base64url, inboxPrefix, sha256 } from "../../src/contracts/index.ts";
import {
  calloutAuthenticator,
  RpcClient,
  ServerClock,
  SessionKeys,
  signDomain,
  signRequest,
} from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance, rpc } from "./admin-helpers.ts";
import { echoApp, echoContract, otherContract } from "./fixtures.ts";

let stack: LocalStack;
const secrets = new Set<string>();

/** Every nkey seed and creds seed of the bundle. */
function bundleSecrets(dir: string): string[] {
  const found: string[] = [];
  for (const sub of ["nats/secrets", "nats/creds"]) {
    for (const file of readdirSync(join(dir, sub))) {
      const text = readFileSync(join(dir, sub, file), "utf8");
      for (const match of text.matchAll(/\bS[A-Z][A-Z2-7]{50,}\b/g)) found.push(match[0]);
    }
  }
  return found;
}

/** Connects like the runtime, keeping every auth_token it sends. */
async function connectRecording(keys: SessionKeys, contractDigest: string) {
  const auth = calloutAuthenticator({ sentinel: stack.sentinel, keys, contractDigest, clock: new ServerClock() });
  const nc = await connect({
    servers: stack.natsUrl,
    inboxPrefix: inboxPrefix(keys.sessionKey),
    maxReconnectAttempts: 0,
    authenticator: (nonce?: string) => {
      const credentials = auth(nonce) as { auth_token: string; sig: string };
      secrets.add(credentials.auth_token);
      secrets.add(credentials.sig);
      return credentials;
    },
  });
  return nc;
}

beforeAll(async () => {
  stack = await startLocalStack();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("seeds, tokens and proofs never reach the control plane's logs", () => {
  test("a full run: approvals, instances, connects, denials, RPCs, Validate, bootstrap, revocation", async () => {
    for (const seed of bundleSecrets(stack.dir)) secrets.add(seed);
    secrets.add(stack.admin.keys.exportSeed());
    secrets.add(stack.sentinel.seed);

    await approveService(stack, "other", otherContract.CONTRACT);
    await approveService(stack, "echo", echoContract().CONTRACT);
    const echoKeys = await provisionInstance(stack, "echo");
    secrets.add(echoKeys.exportSeed());
    const echoNc = await connectRecording(echoKeys, echoContract().CONTRACT_DIGEST);
    const echo = new RpcClient(echoNc, { keys: echoKeys });

    const user = await SessionKeys.generate();
    secrets.add(user.exportSeed());
    (
      await stack.admin.client.call(rpc()["Auth.Admin.Sessions.Approve"], {
        contract: echoApp.CONTRACT as never,
        sessionKey: user.sessionKey,
        capabilities: ["test.echo::secret"],
      })
    ).orThrow();
    const userNc = await connectRecording(user, echoApp.CONTRACT_DIGEST);

    // Validate: allowed, replayed, tampered.
    const body = new TextEncoder().encode('{"text":"x"}');
    const iat = Math.floor(Date.now() / 1000);
    const requestId = ulid();
    const headers = await signRequest(user, { subject: "rpc.v1.Echo.Ping", body, iat, requestId });
    secrets.add(headers.proof);
    const request = {
      sessionKey: user.sessionKey,
      proof: headers.proof,
      subject: "rpc.v1.Echo.Ping",
      payloadHash: base64url(sha256(body)),
      iat,
      requestId,
    };
    const validate = authContract().API.owned.rpc["Auth.Requests.Validate"];
    expect((await echo.call(validate, request)).orThrow().allowed).toBe(true);
    expect((await echo.call(validate, request)).isErr()).toBe(true);
    expect((await echo.call(validate, { ...request, subject: "rpc.v1.Echo.Secret" })).isErr()).toBe(true);

    // Denied connects with tokens that carry real signatures.
    const stranger = await SessionKeys.generate();
    secrets.add(stranger.exportSeed());
    await connectRecording(stranger, echoContract().CONTRACT_DIGEST).catch(() => undefined);
    await connectRecording(echoKeys, echoContract({ revision: 2 }).CONTRACT_DIGEST).catch(() => undefined);

    // Bootstrap, signed.
    const origin = stack.planes[0]!.httpUrl!;
    const bootIat = Math.floor(Date.now() / 1000);
    const clientSig = await signDomain(user, "bootstrap-client", String(bootIat));
    secrets.add(clientSig);
    const booted = await fetch(`${origin}/bootstrap/client`, {
      method: "POST",
      body: JSON.stringify({ sessionKey: user.sessionKey, iat: bootIat, sig: clientSig }),
    });
    expect(((await booted.json()) as { status: string }).status).toBe("ready");

    // Revocation.
    (await stack.admin.client.call(rpc()["Auth.Admin.Sessions.Revoke"], { sessionKey: user.sessionKey })).orThrow();
    await Promise.allSettled([echoNc.close(), userNc.close()]);
    await Bun.sleep(1800); // the second kick sweep logs too

    const logs = stack.logs.join("");
    expect(logs).toContain("connection admitted");
    expect(logs).toContain("connection denied");
    expect(logs).toContain("session revoked");
    expect(secrets.size).toBeGreaterThan(20);
    const leaked = [...secrets].filter((secret) => logs.includes(secret));
    expect(leaked).toEqual([]);
  }, 60_000);
});
