import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as v from "valibot";
import { HeartbeatSchema } from "../../src/contracts/index.ts";
import { createLogger, TrellisService, ValidationError } from "../../src/runtime/index.ts";
import { connect } from "@nats-io/transport-node";
import { greeter } from "./fixtures/greeter.ts";
import { Deliveries } from "./support/deliveries.ts";
import { RuntimeEnv } from "./support/runtime-env.ts";
import { assertIncludes, assertInstanceOf, assertMatch } from "../support/assert.ts";

const quiet = createLogger({ level: "silent" });

describe("heartbeats and startup checks", () => {
  let env: RuntimeEnv;
  before(async () => {
    env = await RuntimeEnv.start();
  });
  after(async () => {
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
    assertMatch(first, {
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
    assert.deepStrictEqual(third!.service.info, { region: "test" });
    assert.equal(third!.service.startedAt, first!.service.startedAt);
    assert.notEqual(third!.header.id, first!.header.id);
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
    assertInstanceOf(refused.isErr() && refused.error, ValidationError);
    assertIncludes(refused.isErr() && refused.error.message, "inboxPrefix");
    await nc.close();
  });
});
