import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as v from "valibot";
import { HeartbeatSchema } from "../../src/contracts/index.ts";
import { createLogger, TrellisService, ValidationError } from "../../src/runtime/index.ts";
import { connect } from "@nats-io/transport-node";
import { greeter } from "./fixtures/greeter.ts";
import { Deliveries } from "./support/deliveries.ts";
import { RuntimeEnv } from "./support/runtime-env.ts";

const quiet = createLogger({ level: "silent" });

describe("heartbeats and startup checks", () => {
  let env: RuntimeEnv;
  beforeAll(async () => {
    env = await RuntimeEnv.start();
  });
  afterAll(async () => {
    await env?.stop();
  });

  test("a heartbeat at connect and every publishIntervalMs, with setInfo and the nats check", async () => {
    const beats = new Deliveries<v.InferOutput<typeof HeartbeatSchema>>();
    const watcher = await env.connectRaw();
    watcher.subscribe("events.v1.Health.Heartbeat", {
      callback: (_e, msg) => beats.push(v.parse(HeartbeatSchema, msg.json())),
    });
    await watcher.flush();
    const principal = await env.principal("greeter", ["service"]);
    const service = (
      await TrellisService.fromConnection({
        nc: principal.nc,
        contract: greeter,
        name: "greeter",
        keys: principal.keys,
        authenticator: env.authenticator,
        logger: quiet,
        instanceId: "inst-1",
        version: "1.2.3",
        health: { publishIntervalMs: 50 },
      })
    ).orThrow();
    service.health.setInfo({ region: "test" });
    const [first, , third] = await beats.until(3);
    await service.stop();
    expect(first).toMatchObject({
      status: "healthy",
      checks: [{ name: "nats", status: "ok" }],
      service: {
        name: "greeter",
        kind: "service",
        instanceId: "inst-1",
        contractId: "acme.greeter@v1",
        contractDigest: greeter.CONTRACT_DIGEST,
        publishIntervalMs: 50,
        runtime: "node",
        version: "1.2.3",
      },
    });
    expect(third!.service.info).toEqual({ region: "test" });
    expect(third!.service.startedAt).toBe(first!.service.startedAt);
    expect(third!.header.id).not.toBe(first!.header.id);
  });

  test("a connection without the session's inboxPrefix is refused", async () => {
    const principal = await env.principal("greeter", ["service"]);
    const nc = await connect({ servers: env.nats.url });
    const refused = await TrellisService.fromConnection({
      nc,
      contract: greeter,
      name: "greeter",
      keys: principal.keys,
      authenticator: env.authenticator,
      logger: quiet,
    });
    expect(refused.isErr() && refused.error).toBeInstanceOf(ValidationError);
    expect(refused.isErr() && refused.error.message).toContain("inboxPrefix");
    await nc.close();
  });
});
