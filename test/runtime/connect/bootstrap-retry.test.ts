import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CONNECT_CODES, silentLogger, TransportError } from "../../../src/runtime/index.ts";
import type { BootstrapOutcome } from "../../../src/runtime/connect/bootstrap.ts";
import { bootstrapUntilReady } from "../../../src/runtime/connect/bootstrap-retry.ts";
import { assertInstanceOf } from "../../support/assert.ts";

const ready: BootstrapOutcome = {
  kind: "ready",
  connectInfo: {
    sessionKey: "sk",
    contractId: "c@v1",
    contractDigest: "d",
    transports: { native: { natsServers: ["nats://127.0.0.1:4222"] } },
    transport: { sentinel: { jwt: "j", seed: "s" } },
  },
  binding: undefined,
};
const refused = (reason: string, status = 403): BootstrapOutcome => ({ kind: "refused", status, reason });

/** Replays `outcomes` in order, recording the attempts and the sleeps (no real waiting). */
function scripted(outcomes: BootstrapOutcome[]) {
  const calls: boolean[] = [];
  const sleeps: number[] = [];
  return {
    calls,
    sleeps,
    attempt: async (withManifest: boolean) => {
      calls.push(withManifest);
      return outcomes[calls.length - 1] ?? outcomes.at(-1)!;
    },
    options: (waitMs: number) => ({ waitMs, logger: silentLogger, sleep: async (ms: number) => void sleeps.push(ms) }),
  };
}

describe("bootstrapUntilReady (auth.md §3, runtime-wire.md §7.1)", () => {
  test("pending reasons are retried with a doubling backoff, capped at 5 s", async () => {
    const run = scripted([
      refused("unknown_service"),
      refused("service_authority_miss"),
      refused("contract_changed"),
      refused("internal_error", 503),
      { kind: "unreachable", message: "down" },
      refused("unknown_service"),
      refused("unknown_service"),
      ready,
    ]);
    const outcome = await bootstrapUntilReady(run.attempt, run.options(60_000));
    assert.equal("kind" in outcome && outcome.kind, "ready");
    assert.deepEqual(run.sleeps, [250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  test("iat_out_of_range is retried once at once; a second one is final", async () => {
    const run = scripted([refused("iat_out_of_range", 400), refused("iat_out_of_range", 400)]);
    const outcome = await bootstrapUntilReady(run.attempt, run.options(60_000));
    assertInstanceOf(outcome, TransportError);
    assert.equal(outcome.code, CONNECT_CODES.refused);
    assert.equal(outcome.context?.reason, "iat_out_of_range");
    assert.equal(run.calls.length, 2);
    assert.deepEqual(run.sleeps, []);
  });

  test("manifest_required is answered once with the manifest", async () => {
    const run = scripted([refused("manifest_required", 409), ready]);
    await bootstrapUntilReady(run.attempt, run.options(0));
    assert.deepEqual(run.calls, [false, true]);
  });

  test("a final reason is not retried", async () => {
    for (const reason of ["service_disabled", "invalid_signature", "contract_digest_mismatch", "invalid_request"]) {
      const run = scripted([refused(reason)]);
      const outcome = await bootstrapUntilReady(run.attempt, run.options(60_000));
      assertInstanceOf(outcome, TransportError);
      assert.deepEqual([outcome.code, outcome.context?.reason, run.calls.length], [CONNECT_CODES.refused, reason, 1]);
    }
  });

  test("the wait is bounded: the last reason is in the error", async () => {
    const pending = scripted([refused("service_authority_miss")]);
    const outcome = await bootstrapUntilReady(pending.attempt, pending.options(1000));
    assertInstanceOf(outcome, TransportError);
    assert.deepEqual([outcome.code, outcome.context?.reason], [CONNECT_CODES.pending, "service_authority_miss"]);

    const down = scripted([{ kind: "unreachable", message: "ECONNREFUSED" }]);
    const unreachable = await bootstrapUntilReady(down.attempt, down.options(0));
    assertInstanceOf(unreachable, TransportError);
    assert.equal(unreachable.code, CONNECT_CODES.unreachable);
  });
});
