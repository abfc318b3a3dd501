import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kvm } from "@nats-io/kv";
import { ulid } from "ulid";
import { AuthError, authContract, base64url, ok, sha256 } from "../../src/contracts/index.ts";
import {
  RpcClient,
  RpcServer,
  SessionKeys,
  signRequest,
  ValidateRpcAuthenticator,
  type ValidateRequest,
} from "../../src/runtime/index.ts";
import { connectWithCreds } from "../../src/server/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance, rpc } from "./admin-helpers.ts";
import { echoApp, echoContract, otherContract } from "./fixtures.ts";

let stack: LocalStack;
let echo: RpcClient;
let echoNc: Awaited<ReturnType<LocalStack["connectAs"]>>;
let user: SessionKeys;

const encoder = new TextEncoder();
const validate = () => authContract().API.owned.rpc["Auth.Requests.Validate"];
const now = () => Math.floor(Date.now() / 1000);

/** What a receiving service sends to Validate for a request the user signed. */
async function signed(
  keys: SessionKeys,
  request: { subject: string; body: string; iat?: number; requestId?: string },
): Promise<ValidateRequest> {
  const body = encoder.encode(request.body);
  const iat = request.iat ?? now();
  const requestId = request.requestId ?? ulid();
  const headers = await signRequest(keys, { subject: request.subject, body, iat, requestId });
  return {
    sessionKey: keys.sessionKey,
    proof: headers.proof,
    subject: request.subject,
    payloadHash: base64url(sha256(body)),
    iat,
    requestId,
  };
}

async function reason(request: ValidateRequest): Promise<string> {
  const answer = await echo.call(validate(), request);
  if (answer.isOk()) return answer.value.allowed ? "allowed" : "not allowed";
  return answer.error instanceof AuthError ? answer.error.reason : answer.error.type;
}

beforeAll(async () => {
  stack = await startLocalStack();
  await approveService(stack, "other", otherContract.CONTRACT);
  await approveService(stack, "echo", echoContract().CONTRACT);
  const echoKeys = await provisionInstance(stack, "echo");
  echoNc = await stack.connectAs(echoKeys, echoContract().CONTRACT_DIGEST);
  if ("error" in echoNc) throw new Error(echoNc.error);
  echo = new RpcClient(echoNc.nc, { keys: echoKeys });
  user = await SessionKeys.generate();
  (
    await stack.admin.client.call(rpc()["Auth.Admin.Sessions.Approve"], {
      contract: echoApp.CONTRACT as never,
      sessionKey: user.sessionKey,
      userId: "alice",
      capabilities: ["test.echo::secret"],
    })
  ).orThrow();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("Validate checks every request proof (auth.md §4)", () => {
  test("a fresh, correctly signed request is allowed and names its caller", async () => {
    const answer = (
      await echo.call(validate(), await signed(user, { subject: "rpc.v1.Echo.Ping", body: "{}" }))
    ).orThrow();
    expect(answer.allowed).toBe(true);
    expect(answer.inboxPrefix).toBe(`_INBOX.${user.sessionKey.slice(0, 16)}`);
    expect(answer.caller).toMatchObject({ type: "user", userId: "alice", participantKind: "app", active: true });
  });

  test("a replayed request id is refused (invalid_signature)", async () => {
    const request = await signed(user, { subject: "rpc.v1.Echo.Ping", body: '{"text":"a"}' });
    expect(await reason(request)).toBe("allowed");
    expect(await reason(request)).toBe("invalid_signature");
  });

  test("a proof made for another subject is refused", async () => {
    const request = await signed(user, { subject: "rpc.v1.Echo.Ping", body: "{}" });
    expect(await reason({ ...request, subject: "rpc.v1.Echo.Secret" })).toBe("invalid_signature");
  });

  test("a body changed after signing is refused (the receiver hashes what it got)", async () => {
    const request = await signed(user, { subject: "rpc.v1.Echo.Ping", body: '{"text":"signed"}' });
    const tampered = base64url(sha256(encoder.encode('{"text":"changed"}')));
    expect(await reason({ ...request, payloadHash: tampered })).toBe("invalid_signature");
  });

  test("a stale iat is refused (iat_out_of_range), just past 30 s either way", async () => {
    expect(await reason(await signed(user, { subject: "rpc.v1.Echo.Ping", body: "{}", iat: now() - 31 }))).toBe(
      "iat_out_of_range",
    );
    // iat is in whole seconds: if the validator's second ticks over after signing, +31 is only 30 s ahead.
    expect(await reason(await signed(user, { subject: "rpc.v1.Echo.Ping", body: "{}", iat: now() + 32 }))).toBe(
      "iat_out_of_range",
    );
  });

  test("an unknown session key is refused (session_not_found)", async () => {
    const stranger = await SessionKeys.generate();
    expect(await reason(await signed(stranger, { subject: "rpc.v1.Echo.Ping", body: "{}" }))).toBe("session_not_found");
  });

  test("a caller without the required capability is not allowed", async () => {
    const request = await signed(user, { subject: "rpc.v1.Echo.Ping", body: "{}" });
    expect(await reason({ ...request, capabilities: ["test.echo::admin"] })).toBe("not allowed");
    // A subject the user's session was not delegated is not allowed either, whatever the capabilities.
    expect(await reason(await signed(user, { subject: "rpc.v1.Other.Used", body: "{}" }))).toBe("not allowed");
  });

  test("end to end: a service's RpcServer relays the refusal when a capability is withdrawn", async () => {
    if ("error" in echoNc) throw new Error(echoNc.error);
    const server = new RpcServer(echoNc.nc, {
      contractId: "test.echo@v1",
      contractDigest: echoContract().CONTRACT_DIGEST,
      serviceName: "echo",
      authenticator: new ValidateRpcAuthenticator(echo),
    });
    const secret = echoContract().API.owned.rpc["Echo.Secret"];
    server.handle(secret, ({ input, context }) => ok({ text: `${input.text} for ${context.caller.type}` })).orThrow();
    await echoNc.nc.flush();

    const app = await stack.connectAs(user, echoApp.CONTRACT_DIGEST);
    if ("error" in app) throw new Error(app.error);
    const caller = new RpcClient(app.nc, { keys: user });
    expect((await caller.call(secret, { text: "hi" })).orThrow()).toEqual({ text: "hi for user" });

    // The operator takes the capability away (directly in the auth state here: v1 has no RPC for it).
    const auth = await connectWithCreds({
      servers: [stack.natsUrl],
      credsPath: stack.config.nats.authCreds,
      name: "t",
    });
    const users = await new Kvm(auth).open("trellis_users");
    const record = (await users.get("alice"))!.json<{ capabilities: string[] }>();
    await users.put("alice", JSON.stringify({ ...record, capabilities: [] }));
    // Principal lookups may be cached for at most a few seconds (auth.md §4).
    await Bun.sleep(2100);
    const refused = await caller.call(secret, { text: "hi" });
    expect(refused.isErr() && refused.error instanceof AuthError && refused.error.reason).toBe(
      "insufficient_permissions",
    );
    await server.drain();
    await users.put("alice", JSON.stringify(record));
    await auth.close();
    await Bun.sleep(2100);
  });
});

describe("replicas share the replay cache", () => {
  test("a request validated by one replica is refused as a replay by another", async () => {
    const [first] = stack.planes;
    const request = await signed(user, { subject: "rpc.v1.Echo.Ping", body: '{"text":"once"}' });
    // Only `first` is running: it validates the request.
    expect(stack.planes.length).toBe(1);
    const before = (await echo.call(validate(), request)).orThrow();
    expect(before.allowed).toBe(true);
    // A second replica joins and the first leaves: the replay can only reach the second.
    await stack.startReplica();
    await first!.stop();
    stack.planes.shift();
    expect(await reason(request)).toBe("invalid_signature");
    // The new replica validates fresh requests normally.
    expect(await reason(await signed(user, { subject: "rpc.v1.Echo.Ping", body: "{}" }))).toBe("allowed");
  });
});
