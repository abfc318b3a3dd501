import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CallerCache, type Caller } from "../../../src/runtime/index.ts";

const service: Caller = { type: "service", id: "i1", name: "echo", capabilities: ["service"], active: true };
const user: Caller = {
  type: "user",
  participantKind: "app",
  userId: "u1",
  email: "",
  name: "u1",
  identity: { identityId: "u1", provider: "trellis", subject: "u1" },
  capabilities: [],
  active: true,
};

/** A cache on a clock the test moves. */
function cacheAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, cache: new CallerCache({ nowMs: () => clock.now }) };
}

describe("CallerCache: the session/Caller lookup, at most 2 s", () => {
  test("a service caller serves any subject until it is 2 s old, then nothing", () => {
    const { clock, cache } = cacheAt();
    cache.remember("sk", service, "rpc.v1.A", true, cache.generation);
    assert.equal(cache.lookup("sk", "rpc.v1.B"), service);
    clock.now += 1999;
    assert.equal(cache.lookup("sk", "rpc.v1.A"), service);
    clock.now += 1;
    assert.equal(cache.lookup("sk", "rpc.v1.A"), undefined);
    assert.equal(cache.size, 0);
  });

  test("a longer ttl is capped at 2 s", () => {
    const clock = { now: 0 };
    const cache = new CallerCache({ ttlMs: 60_000, nowMs: () => clock.now });
    cache.remember("sk", service, "s", true, cache.generation);
    clock.now = 2000;
    assert.equal(cache.lookup("sk", "s"), undefined);
  });

  test("a user caller serves only subjects Validate allowed; a refusal teaches nothing", () => {
    const { cache } = cacheAt();
    cache.remember("sk", user, "rpc.v1.A", true, cache.generation);
    cache.remember("sk", user, "rpc.v1.B", false, cache.generation);
    assert.equal(cache.lookup("sk", "rpc.v1.A"), user);
    assert.equal(cache.lookup("sk", "rpc.v1.B"), undefined);
  });

  test("later answers never extend an entry's life", () => {
    const { clock, cache } = cacheAt();
    cache.remember("sk", user, "rpc.v1.A", true, cache.generation);
    clock.now += 1500;
    cache.remember("sk", user, "rpc.v1.B", true, cache.generation);
    clock.now += 500;
    assert.equal(cache.lookup("sk", "rpc.v1.B"), undefined);
  });

  test("a drop removes the entry, and an answer in flight across the drop is not stored", () => {
    const { cache } = cacheAt();
    cache.remember("sk", service, "s", true, cache.generation);
    const inFlight = cache.generation;
    cache.drop("sk");
    assert.equal(cache.lookup("sk", "s"), undefined);
    cache.remember("sk", service, "s", true, inFlight);
    assert.equal(cache.lookup("sk", "s"), undefined);
    cache.remember("sk", service, "s", true, cache.generation);
    assert.equal(cache.lookup("sk", "s"), service);
    cache.clear();
    assert.equal(cache.size, 0);
  });

  test("full: the oldest entry makes room", () => {
    const clock = { now: 0 };
    const cache = new CallerCache({ maxEntries: 2, nowMs: () => clock.now });
    for (const key of ["a", "b", "c"]) cache.remember(key, service, "s", true, cache.generation);
    assert.equal(cache.size, 2);
    assert.equal(cache.lookup("a", "s"), undefined);
    assert.equal(cache.lookup("c", "s"), service);
  });
});
