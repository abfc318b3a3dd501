import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ok } from "../../src/contracts/index.ts";
import { silentLogger, TransportError, TrellisClient, TrellisService } from "../../src/runtime/index.ts";
import { assertInstanceOf } from "../support/assert.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance } from "../server/admin-helpers.ts";
import { echoApp, echoContract, otherContract } from "../server/fixtures.ts";
import { approvedSession, trellisUrlOf } from "./support/sessions.ts";

/** runtime-wire.md §7 through the full stack: stop() drains in-flight work; a dead server fails calls, never hangs. */
let stack: LocalStack;

before(async () => {
  stack = await startLocalStack();
  await approveService(stack, "other", otherContract.CONTRACT);
  await approveService(stack, "echo", echoContract().CONTRACT);
});

after(async () => {
  // The last test kills nats-server; start it again so everything can shut down in order.
  if (!stack.nats.running) await stack.nats.restart();
  await stack?.stop();
});

async function connected(callTimeoutMs = 10_000) {
  const service = (
    await TrellisService.connect({
      trellisUrl: trellisUrlOf(stack),
      contract: echoContract(),
      name: "echo",
      keys: await provisionInstance(stack, "echo"),
      logger: silentLogger,
    })
  ).orThrow();
  const client = (
    await TrellisClient.connect({
      trellisUrl: trellisUrlOf(stack),
      contract: echoApp,
      keys: await approvedSession(stack, echoApp.CONTRACT, ["test.echo::secret"]),
      logger: silentLogger,
      timeoutMs: callTimeoutMs,
    })
  ).orThrow();
  return { service, client };
}

/** A gate handlers wait behind, and a count of how many are waiting. */
function gate(expected: number) {
  let open!: () => void;
  let allIn!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (allIn = resolve));
  let waiting = 0;
  return {
    opened,
    arrived,
    open,
    enter: () => {
      if (++waiting === expected) allIn();
    },
    get entered() {
      return waiting;
    },
  };
}

describe("stop() and a dead server through the full stack", () => {
  test("with 100 RPCs in flight, stop() lets every one reply, once, and takes no new work", async () => {
    const { service, client } = await connected();
    const held = gate(100);
    (
      await service.handle.rpc.echo.ping(async ({ input }) => {
        held.enter();
        await held.opened;
        return ok({ text: `done ${input.text}` });
      })
    ).orThrow();
    const calls = Array.from({ length: 100 }, (_, i) => client.rpc.echo.ping({ text: String(i) }));
    await held.arrived;
    const stopped = service.stop();
    assert.equal(service.state, "stopping");
    held.open();
    await stopped;
    const results = await Promise.all(calls);
    assert.deepEqual(
      results.map((result) => result.orThrow().text),
      Array.from({ length: 100 }, (_, i) => `done ${i}`),
    );
    assert.equal(held.entered, 100);
    assert.equal(service.state, "closed");
    // Nobody serves the subject any more: a new call finds no responders.
    const late = await client.rpc.echo.ping({ text: "late" }, { timeoutMs: 2000 });
    assert.ok(late.isErr());
    assertInstanceOf(late.error, TransportError);
    await client.stop();
    await client.stop(); // idempotent
    await service.stop();
  });

  test("killing nats-server mid-call gives the caller a TransportError, not a hang", async () => {
    const { service, client } = await connected(3000);
    const held = gate(1);
    (
      await service.handle.rpc.echo.ping(async () => {
        held.enter();
        await held.opened;
        return ok({ text: "too late" });
      })
    ).orThrow();
    const call = client.rpc.echo.ping({ text: "x" });
    await held.arrived;
    await stack.nats.kill();
    // Bounded by the call's deadline: the reply cannot come from a dead server.
    const result = await call;
    held.open();
    assert.ok(result.isErr());
    assertInstanceOf(result.error, TransportError);
    assert.match(result.error.code, /^trellis\.request\./);
    await Promise.all([client.stop(), service.stop()]);
  });
});
