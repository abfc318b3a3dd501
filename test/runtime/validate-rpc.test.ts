import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ulid } from "ulid";
import {
  AuthError,
  CachedPrincipalLookup,
  createLogger,
  dropOnRevocation,
  EventPublisher,
  LocalRequestAuthenticator,
  MemoryReplayGuard,
  Result,
  RpcServer,
  signRequest,
  TrellisClient,
  TrellisService,
} from "../../src/runtime/index.ts";
import { authContract } from "../../src/contracts/index.ts";
import { SessionKeys } from "../../src/runtime/index.ts";
import { buildHeaders } from "../../src/runtime/wire/headers.ts";
import { greeter, greeterApp } from "./fixtures/greeter.ts";
import { Deliveries } from "./support/deliveries.ts";
import { RuntimeEnv } from "./support/runtime-env.ts";
import { assertInstanceOf, assertMatch } from "../support/assert.ts";

const quiet = createLogger({ level: "silent" });
const validate = authContract().API.owned.rpc["Auth.Requests.Validate"];

/**
 * The path a deployed service takes: its default authenticator calls
 * `rpc.v1.Auth.Requests.Validate`, here served as the control plane does it
 * (RpcServer + the runtime's in-process Validate steps over a cached lookup).
 */
describe("requests validated through rpc.v1.Auth.Requests.Validate", () => {
  let env: RuntimeEnv;
  let service: TrellisService<typeof greeter>;
  let client: TrellisClient<typeof greeterApp>;
  let app: Awaited<ReturnType<RuntimeEnv["principal"]>>;
  let lookups = 0;
  let cache: CachedPrincipalLookup;
  const revocations = new Deliveries<string>();

  before(async () => {
    env = await RuntimeEnv.start();
    const plane = await env.principal("trellis", ["service"]);
    cache = new CachedPrincipalLookup(
      {
        lookup: (sessionKey) => {
          lookups++;
          return env.table.lookup(sessionKey);
        },
      },
      { ttlMs: 5000 },
    );
    const validator = new LocalRequestAuthenticator({ principals: cache, replay: new MemoryReplayGuard() });
    const server = new RpcServer(plane.nc, {
      contractId: authContract().CONTRACT_ID,
      contractDigest: authContract().CONTRACT_DIGEST,
      serviceName: "trellis",
      authenticator: validator,
    });
    server.handle(validate, ({ input }) => validator.authenticate(input)).orThrow();
    dropOnRevocation(plane.nc, {
      drop: (sessionKey) => {
        cache.drop(sessionKey);
        revocations.push(sessionKey);
      },
    });
    await plane.nc.flush();

    const svc = await env.principal("greeter", ["service"]);
    service = (
      await TrellisService.fromConnection({
        nc: svc.nc,
        contract: greeter,
        name: "greeter",
        keys: svc.keys,
        logger: quiet,
      })
    ).orThrow();
    (
      await service.handle.rpc.greeter.hello(({ input, context }) =>
        Result.ok({ greeting: `${input.name}:${context.caller.type}` }),
      )
    ).orThrow();
    app = await env.principal("app", ["acme.greeter::greet"]);
    client = (
      await TrellisClient.fromConnection({ nc: app.nc, contract: greeterApp, keys: app.keys, logger: quiet })
    ).orThrow();
  });
  after(async () => {
    await client?.stop();
    await service?.stop();
    await env?.stop();
  });

  test("a call is authenticated by Validate and answered", async () => {
    assert.equal((await client.rpc.greeter.hello({ name: "Ada" })).orThrow().greeting, "Ada:service");
  });

  test("Validate's denial (a replayed request) is relayed unchanged", async () => {
    const hello = greeter.API.owned.rpc["Greeter.Hello"];
    const body = new TextEncoder().encode(JSON.stringify({ name: "x" }));
    const proof = await signRequest(app.keys, {
      subject: hello.subject,
      body,
      iat: Math.floor(Date.now() / 1000),
      requestId: ulid(),
    });
    await app.nc.request(hello.subject, body, { timeout: 2000, headers: buildHeaders(proof) });
    const replay = await app.nc.request(hello.subject, body, { timeout: 2000, headers: buildHeaders(proof) });
    assertMatch(replay.json<{ type: string; reason: string }>(), {
      type: "AuthError",
      reason: "invalid_signature",
    });
  });

  test("principal lookups are cached, and dropped on events.v1.Auth.Sessions.Revoked", async () => {
    const before = lookups;
    for (let i = 0; i < 3; i++) (await client.rpc.greeter.hello({ name: "cached" })).orThrow();
    assert.equal(lookups, before); // both sessions (service and app) are cached already

    const revoked = authContract().API.owned.events["Auth.Sessions.Revoked"];
    const publisher = new EventPublisher(await env.connectRaw());
    (await publisher.publish(revoked, { sessionKey: app.keys.sessionKey, reason: "test" })).orThrow();
    assert.deepStrictEqual(await revocations.until(1), [app.keys.sessionKey]);
    (await client.rpc.greeter.hello({ name: "again" })).orThrow();
    assert.equal(lookups, before + 1);
  });

  test("an unknown session is session_not_found", async () => {
    const keys = await SessionKeys.generate();
    const nc = await env.connect(keys);
    const stranger = (await TrellisClient.fromConnection({ nc, contract: greeterApp, keys, logger: quiet })).orThrow();
    const result = await stranger.rpc.greeter.hello({ name: "x" });
    assertInstanceOf(result.isErr() && result.error, AuthError);
    assert.equal(result.isErr() && (result.error as AuthError).reason, "session_not_found");
  });
});
