import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ulid } from "ulid";
import {
  AuthError,
  Result,
  TransportError,
  UnexpectedError,
  ValidationError,
  RemoteError,
  signRequest,
} from "../../src/runtime/index.ts";
import { RpcClient } from "../../src/runtime/rpc/rpc-client.ts";
import { RpcServer } from "../../src/runtime/rpc/rpc-server.ts";
import { buildHeaders } from "../../src/runtime/wire/headers.ts";
import { greeter, NameRejected } from "./fixtures/greeter.ts";
import { RuntimeEnv, type Principal } from "./support/runtime-env.ts";
import { assertInstanceOf, assertMatch } from "../support/assert.ts";

const hello = greeter.API.owned.rpc["Greeter.Hello"];
const secret = greeter.API.owned.rpc["Greeter.Secret"];
const encoder = new TextEncoder();

describe("RPC over the wire (RpcServer + RpcClient)", () => {
  let env: RuntimeEnv;
  let service: Principal;
  let caller: Principal;
  let server: RpcServer;
  let client: RpcClient;
  let badOutput = false;

  before(async () => {
    env = await RuntimeEnv.start({ stream: false });
    service = await env.principal("greeter", ["service"]);
    caller = await env.principal("caller", ["acme.greeter::greet"]);
    server = new RpcServer(service.nc, {
      contractId: greeter.CONTRACT_ID,
      contractDigest: greeter.CONTRACT_DIGEST,
      serviceName: "greeter",
      authenticator: env.authenticator,
    });
    server
      .handle(hello, ({ input, context }) => {
        if (input.name === "") return Result.err(new NameRejected({ given: input.name }));
        if (input.name === "throw") throw new Error("boom");
        if (badOutput) return Result.ok({ greeting: 42 } as unknown as { greeting: string });
        if (input.name === "huge") return Result.ok({ greeting: "x".repeat(2 * 1024 * 1024) });
        return Result.ok({ greeting: `Hello, ${input.name} (${context.caller.type})` });
      })
      .orThrow();
    server.handle(secret, () => Result.ok({})).orThrow();
    await service.nc.flush();
    client = new RpcClient(caller.nc, { keys: caller.keys });
  });
  after(async () => {
    await env?.stop();
  });

  /** A hand-built request with valid proof headers (or tampered ones). */
  async function raw(
    body: string,
    tamper: (headers: Record<string, string | undefined>) => void = () => {},
    options: { reply?: string } = {},
  ) {
    const bytes = encoder.encode(body);
    const proof = await signRequest(caller.keys, {
      subject: hello.subject,
      body: bytes,
      iat: Math.floor(Date.now() / 1000),
      requestId: ulid(),
    });
    const headers: Record<string, string | undefined> = { ...proof };
    tamper(headers);
    return caller.nc.request(hello.subject, bytes, { timeout: 1000, headers: buildHeaders(headers), ...options });
  }

  test("a call returns typed output", async () => {
    const result = await client.call(hello, { name: "Ada" });
    assert.equal(result.isOk() && result.value.greeting, "Hello, Ada (service)");
  });

  test("a declared error arrives as its typed class with its fields and the server context", async () => {
    const result = await client.call(hello, { name: "" });
    assert.equal(result.isErr(), true);
    const error = result.isErr() ? result.error : undefined;
    assertInstanceOf(error, NameRejected);
    if (!(error instanceof NameRejected)) return;
    assert.equal(error.given, "");
    assert.equal(error.message, "Name not allowed: ");
    assertMatch(error.context, {
      method: "Greeter.Hello",
      service: "greeter",
      contractId: "acme.greeter@v1",
      contractDigest: greeter.CONTRACT_DIGEST,
    });
    assert.match(String(error.context?.requestId), /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.match(String(error.traceId), /^[0-9a-f]{32}$/);
  });

  test("invalid input is refused locally; nothing is sent", async () => {
    const before = caller.nc.stats().outMsgs;
    const result = await client.call(hello, { name: 7 } as unknown as { name: string });
    assertInstanceOf(result.isErr() && result.error, ValidationError);
    assert.equal(result.isErr() && (result.error as ValidationError).issues[0]?.path, "/name");
    assert.equal(caller.nc.stats().outMsgs, before);
  });

  test("raw invalid input is refused by the server with ValidationError and issues", async () => {
    const reply = await raw(JSON.stringify({ name: 7 }));
    assert.equal(reply.headers?.get("status"), "error");
    const body = reply.json<{ type: string; issues: { path: string }[] }>();
    assert.equal(body.type, "ValidationError");
    assert.equal(body.issues[0]?.path, "/name");
  });

  test("a body that is not JSON is an UnexpectedError", async () => {
    const reply = await raw("{nope");
    assert.equal(reply.json<{ type: string }>().type, "UnexpectedError");
  });

  test("a handler that throws answers UnexpectedError", async () => {
    const result = await client.call(hello, { name: "throw" });
    assertInstanceOf(result.isErr() && result.error, UnexpectedError);
  });

  test("an output that violates its schema is never sent", async () => {
    badOutput = true;
    try {
      const result = await client.call(hello, { name: "Ada" });
      assertInstanceOf(result.isErr() && result.error, ValidationError);
      const reply = await raw(JSON.stringify({ name: "Ada" }));
      assert.equal(reply.headers?.get("status"), "error");
      assertMatch(reply.json<{ type: string; greeting?: unknown }>(), { type: "ValidationError" });
      assert.equal(reply.json<{ greeting?: unknown }>().greeting, undefined);
    } finally {
      badOutput = false;
    }
  });

  test("a reply larger than max_payload is answered with TransportError trellis.rpc.response_send_failed", async () => {
    // Greeter.Hello does not declare TransportError, so the client holds it as a RemoteError (§1.7 5c).
    const result = await client.call(hello, { name: "huge" });
    const error = result.isErr() ? result.error : undefined;
    assertInstanceOf(error, RemoteError);
    assertMatch((error as RemoteError).remoteError, {
      type: "TransportError",
      code: "trellis.rpc.response_send_failed",
      context: { responseBytes: 2 * 1024 * 1024 + 15, method: "Greeter.Hello" },
    });
  });

  test("a replayed request-id is rejected", async () => {
    const bytes = encoder.encode(JSON.stringify({ name: "Ada" }));
    const proof = await signRequest(caller.keys, {
      subject: hello.subject,
      body: bytes,
      iat: Math.floor(Date.now() / 1000),
      requestId: ulid(),
    });
    const first = await caller.nc.request(hello.subject, bytes, { timeout: 1000, headers: buildHeaders(proof) });
    assert.equal(first.headers?.get("status") ?? "", "");
    const again = await caller.nc.request(hello.subject, bytes, { timeout: 1000, headers: buildHeaders(proof) });
    assertMatch(again.json<{ type: string; reason: string }>(), {
      type: "AuthError",
      reason: "invalid_signature",
    });
  });

  test("a bad proof, a stale iat and missing headers are rejected with their reasons", async () => {
    const reasonOf = async (tamper: (h: Record<string, string | undefined>) => void) =>
      (await raw(JSON.stringify({ name: "Ada" }), tamper)).json<{ reason: string }>().reason;
    assert.equal(
      await reasonOf((h) => (h.proof = h.proof!.slice(0, -2) + (h.proof!.endsWith("AA") ? "BA" : "AA"))),
      "invalid_signature",
    );
    // An iat inside the window but not the signed one breaks the proof; one outside it fails freshness first.
    assert.equal(await reasonOf((h) => (h.iat = String(Number(h.iat) - 1))), "invalid_signature");
    assert.equal(await reasonOf((h) => (h.iat = String(Number(h.iat) - 120))), "iat_out_of_range");
    assert.equal(await reasonOf((h) => delete h.proof), "missing_proof");
    assert.equal(await reasonOf((h) => (h.iat = "012")), "invalid_signature");
    assert.equal(await reasonOf((h) => delete h["request-id"]), "invalid_signature");
  });

  test("a fresh proof with a stale iat is iat_out_of_range", async () => {
    const bytes = encoder.encode(JSON.stringify({ name: "Ada" }));
    const proof = await signRequest(caller.keys, {
      subject: hello.subject,
      body: bytes,
      iat: Math.floor(Date.now() / 1000) - 120,
      requestId: ulid(),
    });
    const reply = await caller.nc.request(hello.subject, bytes, { timeout: 1000, headers: buildHeaders(proof) });
    assert.equal(reply.json<{ reason: string }>().reason, "iat_out_of_range");
  });

  test("without a session key nothing can be checked, so nothing is sent", async () => {
    const result = await raw(JSON.stringify({ name: "Ada" }), (h) => delete h["session-key"]).then(
      () => "replied",
      (error: Error) => error.name,
    );
    assert.equal(result, "TimeoutError");
  });

  test("a reply subject outside the caller's inbox prefix gets nothing", async () => {
    const stray = `_INBOX.${"x".repeat(16)}.stray`;
    const seen: string[] = [];
    const sub = caller.nc.subscribe(`_INBOX.${"x".repeat(16)}.>`, { callback: (_e, m) => void seen.push(m.string()) });
    const bytes = encoder.encode(JSON.stringify({ name: "Ada" }));
    const proof = await signRequest(caller.keys, {
      subject: hello.subject,
      body: bytes,
      iat: Math.floor(Date.now() / 1000),
      requestId: ulid(),
    });
    caller.nc.publish(hello.subject, bytes, { reply: stray, headers: buildHeaders(proof) });
    // A correct request sent afterwards is answered: the stray one was processed first and sent nothing.
    assert.equal((await client.call(hello, { name: "after" })).isOk(), true);
    await caller.nc.flush();
    sub.unsubscribe();
    assert.deepStrictEqual(seen, []);
  });

  test("missing capabilities are insufficient_permissions with both capability lists", async () => {
    const result = await client.call(secret, {});
    const error = result.isErr() ? result.error : undefined;
    assertInstanceOf(error, AuthError);
    assert.equal((error as AuthError).reason, "insufficient_permissions");
    assertMatch((error as AuthError).context, {
      requiredCapabilities: ["acme.greeter::secret"],
      userCapabilities: ["acme.greeter::greet"],
    });
  });

  test("an undeclared error type arrives as RemoteError", async () => {
    const ping = greeter.API.owned.rpc["Greeter.Wait"];
    server.handle(ping, () => Result.err(new NameRejected({ given: "x" }))).orThrow();
    await service.nc.flush();
    const result = await client.call(ping, { id: 1 });
    assertInstanceOf(result.isErr() && result.error, RemoteError);
    assert.equal(result.isErr() && (result.error as RemoteError).remoteError.type, "NameRejectedError");
  });

  test("no responders after the retries is trellis.request.unavailable", async () => {
    const health = greeter.API.owned.rpc["Greeter.Health"];
    const result = await client.call(health, {});
    assertInstanceOf(result.isErr() && result.error, TransportError);
    assert.equal(result.isErr() && (result.error as TransportError).code, "trellis.request.unavailable");
    assert.equal(result.isErr() && result.error.context?.attempts, 3);
  });
});
