import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { inboxPrefix } from "../../../src/contracts/index.ts";
import {
  FastPathAuthenticator,
  JetStreamReplayGuard,
  REPLAY_BUCKET,
  REPLAY_TTL_SECONDS,
  replayClaimSubject,
  SessionKeys,
} from "../../../src/runtime/index.ts";
import { startNats, type TestNats } from "../../support/nats.ts";
import { CapabilityTable, testAuthenticator } from "../support/test-auth.ts";
import { signedRequest } from "./signed-request.ts";

/**
 * Replay claims in the shared bucket (auth.md §4 step 4) on a plain
 * nats-server: one JetStream publish with `Nats-Expected-Last-Subject-Sequence: 0`
 * per key, so a key is taken by any message at all, delete markers included.
 */
let nats: TestNats;
let nc: NatsConnection;
const far = () => Date.now() + 30_000;

before(async () => {
  nats = await startNats();
  nc = await connect({ servers: nats.url });
});

after(async () => {
  await nc?.close();
  await nats?.stop();
});

describe("JetStreamReplayGuard", () => {
  test("without the bucket nothing is written, and the outcome says so", async () => {
    assert.equal(await new JetStreamReplayGuard(nc).tryClaim("k0", far()), "unwritten");
  });

  test("a key is claimed once; a delete or purge marker does not free it", async () => {
    const kv = await new Kvm(nc).create(REPLAY_BUCKET, { history: 1, ttl: REPLAY_TTL_SECONDS * 1000 });
    const guard = new JetStreamReplayGuard(nc);
    assert.equal(await guard.tryClaim("k1", far()), "claimed");
    assert.equal(await guard.tryClaim("k1", far()), "replayed");
    assert.equal(await guard.claim("k1", far()), false);

    // Someone allowed to publish claims deletes and purges keys: they stay taken (kv.create would re-claim them).
    assert.equal(await guard.tryClaim("k2", far()), "claimed");
    await kv.delete("k2");
    assert.equal(await guard.tryClaim("k2", far()), "replayed");
    await kv.purge("k2");
    assert.equal(await guard.tryClaim("k2", far()), "replayed");
    // A plain put (no expectation) on a new key makes it taken too.
    await nc.request(replayClaimSubject("k3"), new Uint8Array(), { timeout: 2000 });
    assert.equal(await guard.tryClaim("k3", far()), "replayed");
  });

  test("a key that would have to outlive the bucket's TTL is refused", async () => {
    const guard = new JetStreamReplayGuard(nc);
    assert.equal(await guard.tryClaim("k4", Date.now() + (REPLAY_TTL_SECONDS + 1) * 1000), "replayed");
  });
});

describe("FastPathAuthenticator on a server where claims cannot be written", () => {
  test("turns itself off and lets Validate decide (and claim): correct, only slower", async () => {
    const server = await startNats();
    const table = new CapabilityTable();
    const caller = await SessionKeys.generate();
    table.addService(caller.sessionKey, "caller", []);
    const local = await connect({ servers: server.url, inboxPrefix: inboxPrefix(caller.sessionKey) });
    try {
      const auth = new FastPathAuthenticator({
        validate: testAuthenticator(table),
        replay: new JetStreamReplayGuard(local),
        nowMs: Date.now,
      });
      assert.equal(await auth.arm(local), "armed");
      const request = await signedRequest(caller, { subject: "rpc.v1.Echo.Ping" });
      assert.ok((await auth.authenticate(request)).isOk()); // Validate, fills the cache
      const next = await signedRequest(caller, { subject: "rpc.v1.Echo.Ping" });
      assert.ok((await auth.authenticate(next)).isOk()); // fast path: no bucket → off → Validate
      assert.equal(auth.state, "off");
      assert.deepEqual(auth.counts, { fast: 0, validated: 2 });
      // Validate's own replay cache still refuses the replay.
      assert.ok((await auth.authenticate(next)).isErr());
    } finally {
      await local.close();
      await server.stop();
    }
  });
});
