import { afterAll, beforeAll, describe, expect, test } from "bun:test";
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

const quiet = createLogger({ level: "silent" });

describe("a service and a client over source contract modules", () => {
  let env: RuntimeEnv;
  let service: TrellisService<typeof greeter>;
  let client: TrellisClient<typeof greeterApp>;
  const seenTraces: string[] = [];

  beforeAll(async () => {
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
    expect(registered.isOk()).toBe(true);
    (await service.handle.rpc.greeter.secret(() => Result.ok({}))).orThrow();
  });
  afterAll(async () => {
    await client?.stop();
    await service?.stop();
    await env?.stop();
  });

  test("client.rpc.<g>.<l> returns typed output; deps reach the handler", async () => {
    const result = await client.rpc.greeter.hello({ name: "Ada" });
    const greeting: string | undefined = result.isOk() ? result.value.greeting : undefined;
    expect(greeting).toBe("Hello, Ada!");
  });

  test("a declared error arrives as its typed class", async () => {
    const result = await client.rpc.greeter.hello({ name: "" });
    const error = result.isErr() ? result.error : undefined;
    expect(error).toBeInstanceOf(NameRejected);
    if (error instanceof NameRejected) expect(error.given).toBe("");
  });

  test("handling a method twice is refused", async () => {
    const again = await service.handle.rpc.greeter.hello(() => Result.ok({ greeting: "" }));
    expect(again.isErr() && again.error).toBeInstanceOf(ValidationError);
  });

  test("the declared health RPC is mounted with a nats check", async () => {
    const report = await client.rpc.greeter.health({});
    expect(report.isOk()).toBe(true);
    if (!report.isOk()) return;
    expect(report.value.status).toBe("healthy");
    expect(report.value.service).toBe("greeter");
    expect(report.value.checks.map((check) => check.name)).toEqual(["nats"]);
  });

  test("failing checks degrade health and carry the service identity", async () => {
    service.health.add("db", () => {
      throw new Error("db is down");
    });
    try {
      const report = (await client.rpc.greeter.health({})).orThrow();
      expect(report.status).toBe("degraded");
      const db = report.checks.find((check) => check.name === "db");
      expect(db).toMatchObject({
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
    expect(ok.isOk()).toBe(true);
    const failed = await raw.call(hello, { name: "" }, { trace: parent });
    expect(seenTraces).toEqual([parent.traceId, parent.traceId]);
    expect(failed.isErr() && failed.error.traceId).toBe(parent.traceId);
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
        expect(downstream).toBe(context.traceId);
        return Result.ok({ id: input.id });
      })
    ).orThrow();
    expect((await client.rpc.greeter.wait({ id: 5 })).isOk()).toBe(true);
    expect(parseTraceparent(`00-${downstream}-00f067aa0ba902b7-01`)).toBeDefined();
    void wait;
  });

  test("a caller without the capability is refused", async () => {
    const result = await client.rpc.greeter.secret({});
    expect(result.isErr() && result.error).toBeInstanceOf(AuthError);
  });

  test("the typed facades reject unknown accessors and wrong inputs at compile time", () => {
    // @ts-expect-error: no such method
    void (() => client.rpc.greeter.goodbye);
    // @ts-expect-error: wrong input type
    void (() => client.rpc.greeter.hello({ name: 1 }));
    // @ts-expect-error: handlers are registered for owned surfaces only
    void (() => service.handle.rpc.auth);
    expect(typeof client.rpc.auth.sessionsMe).toBe("function");
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
      expect(service.state).toBe("stopping");
      release();
      const results = await Promise.all(calls);
      await stopped;
      expect(results.every((result) => result.isOk())).toBe(true);
      expect(results.map((result) => (result.isOk() ? result.value.id : -1))).toEqual([...Array(100).keys()]);
      expect([...handled].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
      expect(service.state).toBe("closed");
      expect(svc.nc.isClosed()).toBe(true);
      await service.stop(); // idempotent
      const after = await client.rpc.greeter.wait({ id: 1 }, { timeoutMs: 1000 });
      expect(after.isErr() && (after.error as TransportError).code).toBe("trellis.request.unavailable");
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
      expect(result.isErr() && result.error).toBeInstanceOf(TransportError);
      expect(["trellis.request.timeout", "trellis.request.failed"]).toContain(
        (result.isErr() && (result.error as TransportError).code) || "",
      );
      expect(statuses).toContain("disconnected");
      await Promise.all([svc.nc.close(), app.nc.close()]);
    } finally {
      await env.stop();
    }
  });
});
