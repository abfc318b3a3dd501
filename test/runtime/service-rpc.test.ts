import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AuthError,
  Result,
  TransportError,
  ValidationError,
  createLogger,
  parseTraceparent,
} from "../../src/runtime/index.ts";
import { TrellisClient } from "../../src/runtime/client/trellis-client.ts";
import { TrellisService } from "../../src/runtime/service/trellis-service.ts";
import { greeter, greeterApp, NameRejected } from "./fixtures/greeter.ts";
import { RuntimeEnv } from "./support/runtime-env.ts";
import { assertInstanceOf, assertMatch } from "../support/assert.ts";

const quiet = createLogger({ level: "silent" });

describe("a service and a client over source contract modules", () => {
  let env: RuntimeEnv;
  let service: TrellisService<typeof greeter>;
  let client: TrellisClient<typeof greeterApp>;
  const seenTraces: string[] = [];

  before(async () => {
    env = await RuntimeEnv.start();
    const svc = await env.principal("greeter", ["service"]);
    service = (
      await TrellisService.fromConnection({
        nc: svc.nc,
        contract: greeter,
        name: "greeter",
        keys: svc.keys,
        authenticator: env.authenticator,
        logger: quiet,
      })
    ).orThrow();
    const app = await env.principal("app", ["acme.greeter::greet"]);
    client = (
      await TrellisClient.fromConnection({ nc: app.nc, contract: greeterApp, keys: app.keys, logger: quiet })
    ).orThrow();

    const registered = await service.with({ suffix: "!" }).handle.rpc.greeter.hello(({ input, context, deps }) => {
      seenTraces.push(context.traceId);
      if (input.name === "") return Result.err(new NameRejected({ given: "" }));
      return Result.ok({ greeting: `Hello, ${input.name}${deps.suffix}` });
    });
    assert.equal(registered.isOk(), true);
    (await service.handle.rpc.greeter.secret(() => Result.ok({}))).orThrow();
  });
  after(async () => {
    await client?.stop();
    await service?.stop();
    await env?.stop();
  });

  test("client.rpc.<g>.<l> returns typed output; deps reach the handler", async () => {
    const result = await client.rpc.greeter.hello({ name: "Ada" });
    const greeting: string | undefined = result.isOk() ? result.value.greeting : undefined;
    assert.equal(greeting, "Hello, Ada!");
  });

  test("a declared error arrives as its typed class", async () => {
    const result = await client.rpc.greeter.hello({ name: "" });
    const error = result.isErr() ? result.error : undefined;
    assertInstanceOf(error, NameRejected);
    if (error instanceof NameRejected) assert.equal(error.given, "");
  });

  test("handling a method twice is refused", async () => {
    const again = await service.handle.rpc.greeter.hello(() => Result.ok({ greeting: "" }));
    assertInstanceOf(again.isErr() && again.error, ValidationError);
  });

  test("the declared health RPC is mounted with a nats check", async () => {
    const report = await client.rpc.greeter.health({});
    assert.equal(report.isOk(), true);
    if (!report.isOk()) return;
    assert.equal(report.value.status, "healthy");
    assert.equal(report.value.service, "greeter");
    assert.deepStrictEqual(
      report.value.checks.map((check) => check.name),
      ["nats"],
    );
  });

  test("failing checks degrade health and carry the service identity", async () => {
    service.health.add("db", () => {
      throw new Error("db is down");
    });
    try {
      const report = (await client.rpc.greeter.health({})).orThrow();
      assert.equal(report.status, "degraded");
      const db = report.checks.find((check) => check.name === "db");
      assertMatch(db, {
        status: "failed",
        error: "db is down",
        info: { service: "greeter", contractId: "acme.greeter@v1", contractDigest: greeter.CONTRACT_DIGEST },
      });
    } finally {
      service.health.add("db", () => Result.ok(undefined));
    }
  });

  test("trace context flows from the caller's span to the handler and the error's traceId", async () => {
    const parent = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", flags: "01" };
    const { RpcClient } = await import("../../src/runtime/rpc/rpc-client.ts");
    const app = await env.principal("tracer", ["acme.greeter::greet"]);
    const raw = new RpcClient(app.nc, { keys: app.keys });
    const hello = greeter.API.owned.rpc["Greeter.Hello"];
    seenTraces.length = 0;
    const ok = await raw.call(hello, { name: "T" }, { trace: parent });
    assert.equal(ok.isOk(), true);
    const failed = await raw.call(hello, { name: "" }, { trace: parent });
    assert.deepStrictEqual(seenTraces, [parent.traceId, parent.traceId]);
    assert.equal(failed.isErr() && failed.error.traceId, parent.traceId);
  });

  test("handlers' client continues the request's trace downstream", async () => {
    const wait = greeter.API.owned.rpc["Greeter.Wait"];
    let downstream: string | undefined;
    (
      await service.handle.rpc.greeter.wait(async ({ input, context, client: inner }) => {
        if (input.id === 0) {
          downstream = context.traceId;
          return Result.ok(input);
        }
        const nested = await inner.rpc.greeter.wait({ id: 0 });
        if (nested.isErr()) return nested;
        assert.equal(downstream, context.traceId);
        return Result.ok({ id: input.id });
      })
    ).orThrow();
    assert.equal((await client.rpc.greeter.wait({ id: 5 })).isOk(), true);
    assert.notEqual(parseTraceparent(`00-${downstream}-00f067aa0ba902b7-01`), undefined);
    void wait;
  });

  test("a caller without the capability is refused", async () => {
    const result = await client.rpc.greeter.secret({});
    assertInstanceOf(result.isErr() && result.error, AuthError);
  });

  test("the typed facades reject unknown accessors and wrong inputs at compile time", () => {
    // @ts-expect-error: no such method
    void (() => client.rpc.greeter.goodbye);
    // @ts-expect-error: wrong input type
    void (() => client.rpc.greeter.hello({ name: 1 }));
    // @ts-expect-error: handlers are registered for owned surfaces only
    void (() => service.handle.rpc.auth);
    assert.equal(typeof client.rpc.auth.sessionsMe, "function");
  });
});

describe("graceful stop and failures", () => {
  test("stop() with 100 RPCs in flight lets every one reply exactly once", async () => {
    const env = await RuntimeEnv.start({ stream: false });
    try {
      const svc = await env.principal("greeter", ["service"]);
      const service = (
        await TrellisService.fromConnection({
          nc: svc.nc,
          contract: greeter,
          name: "greeter",
          keys: svc.keys,
          authenticator: env.authenticator,
          logger: quiet,
          health: { heartbeat: false },
        })
      ).orThrow();
      let entered = 0;
      let allEntered!: () => void;
      const everyoneIn = new Promise<void>((resolve) => (allEntered = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handled: number[] = [];
      (
        await service.handle.rpc.greeter.wait(async ({ input }) => {
          if (++entered === 100) allEntered();
          await gate;
          handled.push(input.id);
          return Result.ok({ id: input.id });
        })
      ).orThrow();
      const app = await env.principal("app", []);
      const client = (
        await TrellisClient.fromConnection({ nc: app.nc, contract: greeterApp, keys: app.keys, logger: quiet })
      ).orThrow();
      const calls = Array.from({ length: 100 }, (_, id) => client.rpc.greeter.wait({ id }, { timeoutMs: 20_000 }));
      await everyoneIn;
      const stopped = service.stop();
      assert.equal(service.state, "stopping");
      release();
      const results = await Promise.all(calls);
      await stopped;
      assert.equal(
        results.every((result) => result.isOk()),
        true,
      );
      assert.deepStrictEqual(
        results.map((result) => (result.isOk() ? result.value.id : -1)),
        [...Array(100).keys()],
      );
      assert.deepStrictEqual(
        [...handled].sort((a, b) => a - b),
        [...Array(100).keys()],
      );
      assert.equal(service.state, "closed");
      assert.equal(svc.nc.isClosed(), true);
      await service.stop(); // idempotent
      const after = await client.rpc.greeter.wait({ id: 1 }, { timeoutMs: 1000 });
      assert.equal(after.isErr() && (after.error as TransportError).code, "trellis.request.unavailable");
      await client.stop();
    } finally {
      await env.stop();
    }
  });

  test("killing the nats-server mid-call yields a TransportError, not a hang", async () => {
    const env = await RuntimeEnv.start({ stream: false });
    try {
      const svc = await env.principal("greeter", ["service"]);
      const service = (
        await TrellisService.fromConnection({
          nc: svc.nc,
          contract: greeter,
          name: "greeter",
          keys: svc.keys,
          authenticator: env.authenticator,
          logger: quiet,
          health: { heartbeat: false },
        })
      ).orThrow();
      let entered!: () => void;
      const inHandler = new Promise<void>((resolve) => (entered = resolve));
      (
        await service.handle.rpc.greeter.wait(async () => {
          entered();
          return new Promise<never>(() => {});
        })
      ).orThrow();
      const app = await env.principal("app", []);
      const client = (
        await TrellisClient.fromConnection({ nc: app.nc, contract: greeterApp, keys: app.keys, logger: quiet })
      ).orThrow();
      const statuses: string[] = [];
      client.onStatus((status) => statuses.push(status.type));
      const call = client.rpc.greeter.wait({ id: 1 }, { timeoutMs: 1500 });
      await inHandler;
      await env.nats.server.kill();
      const result = await call;
      assertInstanceOf(result.isErr() && result.error, TransportError);
      assert.ok(
        ["trellis.request.timeout", "trellis.request.failed"].includes(
          (result.isErr() && (result.error as TransportError).code) || "",
        ),
      );
      assert.ok(statuses.includes("disconnected"));
      await Promise.all([svc.nc.close(), app.nc.close()]);
    } finally {
      await env.stop();
    }
  });
});
