import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as v from "valibot";
import {
  createLogger,
  defineServiceContract,
  JOBS_UNAVAILABLE,
  OPERATIONS_UNAVAILABLE,
  Result,
  TransportError,
  TrellisService,
  ValidationError,
} from "../../src/runtime/index.ts";
import { assertInstanceOf } from "../support/assert.ts";
import { RuntimeEnv } from "./support/runtime-env.ts";

/**
 * A service connected without bindings (no operation-state bucket, no job
 * queue binding): the facade members exist for every declared surface and
 * answer with an Err that names what is missing, never a TypeError or a
 * hang. Calls of an operation nobody serves reach no responder.
 */
const schemas = {
  Ref: v.object({ id: v.string() }),
  Progress: v.object({ percent: v.number() }),
  Done: v.object({ at: v.string() }),
  Reason: v.object({ reason: v.string() }),
} as const;

const shipping = defineServiceContract({ schemas }, (ref) => ({
  id: "acme.shipping@v1",
  displayName: "Shipping",
  description: "Ships parcels.",
  operations: {
    "Parcels.Ship": {
      version: "v1",
      input: ref.schema("Ref"),
      progress: ref.schema("Progress"),
      output: ref.schema("Done"),
      signals: { hurry: { input: ref.schema("Reason") } },
      cancel: true,
    },
  },
  jobs: { label: { payload: ref.schema("Ref"), result: ref.schema("Done") } },
}));

describe("operations and job queues without their bindings", () => {
  let env: RuntimeEnv;
  let service: TrellisService<typeof shipping>;

  before(async () => {
    env = await RuntimeEnv.start({ stream: false });
    const principal = await env.principal("shipping", []);
    service = (
      await TrellisService.fromConnection({
        nc: principal.nc,
        contract: shipping,
        name: "shipping",
        keys: principal.keys,
        authenticator: env.authenticator,
        logger: createLogger({ level: "silent" }),
        health: { heartbeat: false },
      })
    ).orThrow();
  });
  after(async () => {
    await service?.stop();
    await env?.stop();
  });

  test("calling an operation nobody serves is a TransportError: no responders, nothing hangs", async () => {
    const ship = service.client.operation.parcels.ship;
    const results = [
      await ship.start({ id: "p1" }),
      await ship.input({ id: "p1" }).start(),
      await ship.resume("op_1").get(),
      await ship.resume("op_1").wait(),
      await ship.resume("op_1").cancel(),
      await ship.resume("op_1").signal("hurry", { reason: "vip" }),
    ];
    for (const result of results) {
      assert.ok(result.isErr());
      assertInstanceOf(result.error, TransportError);
      assert.equal(result.error.code, "trellis.request.unavailable");
    }
    assert.equal(ship.resume("op_1").operation, "Parcels.Ship");
  });

  test("without the operation-state binding, registering a handler is refused, naming the surface", async () => {
    const registered = await service.handle.operation.parcels.ship(() => Result.ok({ at: "now" }));
    assert.ok(registered.isErr());
    assertInstanceOf(registered.error, ValidationError);
    assert.equal(registered.error.issues[0]?.path, "/operations/Parcels.Ship");
    const control = await service.handle.operation.parcels.ship.control("op_1");
    assert.ok(control.isErr());
    assertInstanceOf(control.error, TransportError);
    assert.equal(control.error.code, OPERATIONS_UNAVAILABLE);
  });

  test("a job queue exists for each declared queue and refuses work, naming the queue", async () => {
    assert.deepEqual(Object.keys(service.jobs), ["label"]);
    const created = await service.jobs.label.create({ id: "p1" });
    assert.ok(created.isErr());
    assertInstanceOf(created.error, TransportError);
    assert.equal(created.error.code, JOBS_UNAVAILABLE);
    const handled = await service.jobs.label.handle(({ payload }) => Result.ok({ at: payload.id }));
    assert.ok(handled.isErr());
    assertInstanceOf(handled.error, ValidationError);
    assert.equal(handled.error.issues[0]?.path, "/jobs/label");
  });
});
