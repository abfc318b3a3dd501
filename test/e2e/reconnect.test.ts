import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ok } from "../../src/contracts/index.ts";
import {
  silentLogger,
  TrellisClient,
  TrellisService,
  type ConnectionStatus,
  type SessionKeys,
} from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance } from "../server/admin-helpers.ts";
import { echoApp, echoContract, otherContract } from "../server/fixtures.ts";
import { approvedSession, trellisUrlOf } from "./support/sessions.ts";

/**
 * runtime-wire.md §7, auth.md §3: restarting nats-server (file storage)
 * during a run of calls, service and client reconnect through the callout
 * with fresh tokens and the calls succeed again, with no user code.
 */
let stack: LocalStack;
let serviceKeys: SessionKeys;

before(async () => {
  stack = await startLocalStack();
  await approveService(stack, "other", otherContract.CONTRACT);
  await approveService(stack, "echo", echoContract().CONTRACT);
  serviceKeys = await provisionInstance(stack, "echo");
});

after(async () => {
  await stack?.stop();
});

/** The control plane's "connection admitted" lines for a session key: one per connect, each with its server's id. */
function admissions(sessionKey: string): string[] {
  return stack.logs
    .map((line) => JSON.parse(line) as { msg?: string; sessionKey?: string; serverId?: string })
    .filter((entry) => entry.msg === "connection admitted" && entry.sessionKey === sessionKey)
    .map((entry) => entry.serverId ?? "");
}

describe("reconnect across a nats-server restart", () => {
  test("service and client come back with fresh callout admissions and calls succeed again", async () => {
    const service = (
      await TrellisService.connect({
        trellisUrl: trellisUrlOf(stack),
        contract: echoContract(),
        name: "echo",
        keys: serviceKeys,
        logger: silentLogger,
      })
    ).orThrow();
    const userKeys = await approvedSession(stack, echoApp.CONTRACT, ["test.echo::secret"]);
    const client = (
      await TrellisClient.connect({
        trellisUrl: trellisUrlOf(stack),
        contract: echoApp,
        keys: userKeys,
        logger: silentLogger,
      })
    ).orThrow();
    const seen: { service: ConnectionStatus["type"][]; client: ConnectionStatus["type"][] } = {
      service: [],
      client: [],
    };
    service.onStatus((status) => seen.service.push(status.type));
    client.onStatus((status) => seen.client.push(status.type));
    try {
      let served = 0;
      (await service.handle.rpc.echo.ping(({ input }) => ok({ text: `${input.text} #${++served}` }))).orThrow();
      for (let i = 0; i < 20; i++) (await client.rpc.echo.ping({ text: "before" })).orThrow();
      const before = { service: admissions(serviceKeys.sessionKey), client: admissions(userKeys.sessionKey) };
      assert.deepEqual([before.service.length, before.client.length], [1, 1]);

      await stack.nats.restart();

      // A run of calls: some fail while everything reconnects; the run goes on until they succeed again.
      let answer;
      for (let attempt = 0; attempt < 120; attempt++) {
        answer = await client.rpc.echo.ping({ text: "after" }, { timeoutMs: 1000 });
        if (answer.isOk()) break;
        await sleep(250);
      }
      assert.ok(answer?.isOk(), `calls succeed again (last: ${answer?.isErr() ? answer.error.message : ""})`);
      assert.match(answer.value.text, /^after #\d+$/);
      // Both reconnected through the callout: a new admission each, from the restarted server (a new server id).
      const now = { service: admissions(serviceKeys.sessionKey), client: admissions(userKeys.sessionKey) };
      assert.equal(now.service.length, 2);
      assert.equal(now.client.length, 2);
      assert.notEqual(now.service[1], now.service[0]);
      assert.ok(seen.service.includes("disconnected") && seen.service.includes("reconnected"));
      assert.ok(seen.client.includes("disconnected") && seen.client.includes("reconnected"));
      assert.equal(service.state, "running");
    } finally {
      await client.stop();
      await service.stop();
    }
  });
});
