import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { headers as natsHeaders } from "@nats-io/nats-core";
import { ulid } from "ulid";
import { AuthError, base64url, ok, sha256 } from "../../src/contracts/index.ts";
import {
  FastPathAuthenticator,
  JetStreamReplayGuard,
  RpcClient,
  signRequest,
  silentLogger,
  TrellisService,
  ValidateRpcAuthenticator,
  type SessionKeys,
  type ValidateRequest,
} from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance, rpc } from "../server/admin-helpers.ts";
import { echoApp, echoContract, otherContract } from "../server/fixtures.ts";
import { approvedSession, trellisUrlOf } from "./support/sessions.ts";
import { signedRequest } from "../runtime/connect/signed-request.ts";

/**
 * The authentication fast path (auth.md §4; design/runtime.md "Request
 * authentication"): proofs are verified in the service, replay keys are
 * claimed in the bucket Validate claims in, and only the Caller lookup is
 * cached. A replay is refused whichever path each copy takes, on one
 * instance or across two.
 */
let stack: LocalStack;
let user: SessionKeys;
/** Two instances of the echo deployment, each with its own authenticator. */
let a: FastPathAuthenticator;
let b: FastPathAuthenticator;
const PING = "rpc.v1.Echo.Ping";

async function instance(): Promise<{ auth: FastPathAuthenticator; nc: NonNullable<ReturnType<typeof ncOf>> }> {
  const keys = await provisionInstance(stack, "echo");
  const connected = await stack.connectAs(keys, echoContract().CONTRACT_DIGEST);
  const nc = ncOf(connected);
  const auth = new FastPathAuthenticator({
    validate: new ValidateRpcAuthenticator(new RpcClient(nc, { keys })),
    replay: new JetStreamReplayGuard(nc),
    nowMs: Date.now,
  });
  assert.equal(await auth.arm(nc), "armed");
  return { auth, nc };
}

function ncOf(outcome: Awaited<ReturnType<LocalStack["connectAs"]>>) {
  if ("error" in outcome) throw new Error(outcome.error);
  return outcome.nc;
}

/** The authenticator on the asked-for path: `fast` = its cache holds the user, `validate` = it does not. */
async function onPath(auth: FastPathAuthenticator, path: "fast" | "validate"): Promise<FastPathAuthenticator> {
  auth.forgetCallers();
  if (path === "fast") (await auth.authenticate(await signedRequest(user, { subject: PING }))).orThrow();
  return auth;
}

/** Authenticates and says which path decided it. */
async function decide(auth: FastPathAuthenticator, request: ValidateRequest) {
  const before = { ...auth.counts };
  const result = await auth.authenticate(request);
  const path = auth.counts.fast > before.fast ? "fast" : "validate";
  return { result, path };
}

const reasonOf = (result: Awaited<ReturnType<FastPathAuthenticator["authenticate"]>>) =>
  result.isOk() ? (result.value.allowed ? "allowed" : "not allowed") : (result.error as AuthError).reason;

before(async () => {
  stack = await startLocalStack();
  await approveService(stack, "other", otherContract.CONTRACT);
  await approveService(stack, "echo", echoContract().CONTRACT);
  user = await approvedSession(stack, echoApp.CONTRACT, ["test.echo::secret"]);
  a = (await instance()).auth;
  b = (await instance()).auth;
});

after(async () => {
  await stack?.stop();
});

describe("a replay is refused whichever path each copy takes", () => {
  const paths = ["fast", "validate"] as const;
  for (const first of paths) {
    for (const second of paths) {
      for (const across of [false, true]) {
        test(`first copy ${first}, replay ${second}, ${across ? "on another instance" : "on the same instance"}`, async () => {
          const request = await signedRequest(user, { subject: PING });
          const one = await decide(await onPath(a, first), request);
          assert.equal(one.path, first);
          assert.equal(reasonOf(one.result), "allowed");
          const two = await decide(await onPath(across ? b : a, second), request);
          assert.equal(two.path, second);
          assert.equal(reasonOf(two.result), "invalid_signature");
        });
      }
    }
  }
});

describe("the fast path checks what Validate checks", () => {
  test("a failing proof is refused before any claim: the genuine request still goes through after it", async () => {
    const auth = await onPath(a, "fast");
    const request = await signedRequest(user, { subject: PING, body: '{"text":"signed"}' });
    const tampered = { ...request, payloadHash: base64url(sha256(new TextEncoder().encode('{"text":"changed"}'))) };
    assert.equal(reasonOf(await auth.authenticate(tampered)), "invalid_signature");
    assert.equal(reasonOf(await auth.authenticate({ ...request, subject: "rpc.v1.Echo.Secret" })), "invalid_signature");
    assert.equal(reasonOf(await auth.authenticate(request)), "allowed");
  });

  test("a stale iat is refused locally", async () => {
    const auth = await onPath(a, "fast");
    const request = await signedRequest(user, { subject: PING });
    const stale = { ...request, iat: request.iat - 31 };
    assert.equal(reasonOf(await auth.authenticate(stale)), "iat_out_of_range");
  });

  test("capabilities are checked against the cached caller", async () => {
    const auth = await onPath(a, "fast");
    const held = await decide(auth, await signedRequest(user, { subject: PING, capabilities: ["test.echo::secret"] }));
    assert.deepEqual([held.path, reasonOf(held.result)], ["fast", "allowed"]);
    const missing = await decide(
      auth,
      await signedRequest(user, { subject: PING, capabilities: ["test.echo::admin"] }),
    );
    assert.deepEqual([missing.path, reasonOf(missing.result)], ["fast", "not allowed"]);
  });

  test("a user's subject the cache has not seen Validate allow goes to Validate", async () => {
    const auth = await onPath(a, "fast");
    const other = await decide(auth, await signedRequest(user, { subject: "rpc.v1.Other.Used" }));
    assert.deepEqual([other.path, reasonOf(other.result)], ["validate", "not allowed"]);
    // ... and a refusal teaches the cache nothing.
    const again = await decide(auth, await signedRequest(user, { subject: "rpc.v1.Other.Used" }));
    assert.equal(again.path, "validate");
  });

  test("a revoked session is dropped from the cache at once (Auth.Sessions.Revoked)", async () => {
    const doomed = await approvedSession(stack, echoApp.CONTRACT, ["test.echo::secret"]);
    const { auth, nc } = await instance();
    (await auth.authenticate(await signedRequest(doomed, { subject: PING }))).orThrow();
    assert.equal((await decide(auth, await signedRequest(doomed, { subject: PING }))).path, "fast");

    (await stack.admin.client.call(rpc()["Auth.Admin.Sessions.Revoke"], { sessionKey: doomed.sessionKey })).orThrow();
    // The event left before the admin's answer; a round trip on the service's connection has it delivered.
    await nc.flush();
    const after = await decide(auth, await signedRequest(doomed, { subject: PING }));
    assert.deepEqual([after.path, reasonOf(after.result)], ["validate", "session_not_found"]);
  });
});

describe("through a connected service", () => {
  test("a raw replay of a served request gets AuthError invalid_signature on the wire", async () => {
    const keys = await provisionInstance(stack, "echo");
    const service = (
      await TrellisService.connect({
        trellisUrl: trellisUrlOf(stack),
        contract: echoContract(),
        name: "echo",
        keys,
        logger: silentLogger,
      })
    ).orThrow();
    try {
      (await service.handle.rpc.echo.ping(({ input }) => ok(input))).orThrow();
      const app = ncOf(await stack.connectAs(user, echoApp.CONTRACT_DIGEST));
      const body = new TextEncoder().encode('{"text":"once"}');
      const signed = await signRequest(user, {
        subject: PING,
        body,
        iat: Math.floor(Date.now() / 1000),
        requestId: ulid(),
      });
      const headers = natsHeaders();
      for (const [name, value] of Object.entries(signed)) headers.set(name, value);
      const replies = [];
      // Sequential: several copies, one answer each; only the first is served.
      for (let copy = 0; copy < 4; copy++) replies.push(await app.request(PING, body, { headers, timeout: 3000 }));
      const decoded = replies.map((reply) => ({
        status: reply.headers?.get("status") ?? "",
        body: JSON.parse(new TextDecoder().decode(reply.data)) as { type?: string; reason?: string; text?: string },
      }));
      assert.deepEqual(decoded[0], { status: "", body: { text: "once" } });
      for (const replay of decoded.slice(1)) {
        assert.equal(replay.status, "error");
        assert.equal(replay.body.type, "AuthError");
        assert.equal(replay.body.reason, "invalid_signature");
      }
    } finally {
      await service.stop();
    }
  });
});
