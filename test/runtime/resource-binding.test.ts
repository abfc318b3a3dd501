import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import { silentLogger, TrellisService, ValidationError } from "../../src/runtime/index.ts";
import { vault } from "../e2e/fixtures/resource-contracts.ts";
import { assertInstanceOf } from "../support/assert.ts";
import { RuntimeEnv } from "./support/runtime-env.ts";

/**
 * Binding at start (runtime-wire.md §6, §7.1) over a plain nats-server, with
 * the bucket and object store made here as reconciliation would: a required
 * resource without a binding fails the start, an optional one is absent.
 */
describe("resource bindings at service start", () => {
  let env: RuntimeEnv;
  const bindings = {
    kv: { notes: { bucket: "tr_kv_test", history: 2, ttlMs: 0, maxValueBytes: 512 } },
    store: { files: { name: "tr_obj_test", ttlMs: 0, maxObjectBytes: 1024 } },
  };

  before(async () => {
    env = await RuntimeEnv.start({ stream: true });
    const nc = await env.connectRaw();
    await new Kvm(nc).create("tr_kv_test", { history: 2 });
    await new Objm(nc).create("tr_obj_test");
  });
  after(async () => {
    await env?.stop();
  });

  const start = async (given: typeof bindings | Record<string, never>) => {
    const principal = await env.principal("vault", ["service"]);
    return TrellisService.fromConnection({
      nc: principal.nc,
      contract: vault,
      name: "vault",
      keys: principal.keys,
      authenticator: env.authenticator,
      logger: silentLogger,
      health: { heartbeat: false },
      bindings: given,
    });
  };

  test("a required kv or store resource without a binding fails the start with a ValidationError naming it", async () => {
    const started = await start({});
    assert.ok(started.isErr());
    assertInstanceOf(started.error, ValidationError);
    const paths = started.error.issues.map((issue) => issue.path);
    assert.deepEqual(paths, ["/bindings/kv/notes", "/bindings/store/files"]);
    assert.match(started.error.issues[0]!.message, /'notes'/);
  });

  test("bound handles work; an optional resource without a binding has no handle", async () => {
    const service = (await start(bindings)).orThrow();
    try {
      assert.equal(service.kv.cache, undefined);
      const put = (await service.kv.notes.put("a b.ünï", { text: "hi" })).orThrow();
      assert.deepEqual((await service.kv.notes.get("a b.ünï")).orThrow().value, { text: "hi" });
      const keys: string[] = [];
      for await (const key of (await service.kv.notes.keys()).orThrow()) keys.push(key);
      assert.deepEqual(keys, [put.key]);
      const files = (await service.store.files.open()).orThrow();
      (await files.put("x/y", "bytes")).orThrow();
      assert.equal(new TextDecoder().decode((await files.get("x/y")).orThrow().data), "bytes");
    } finally {
      await service.stop();
    }
  });
});
