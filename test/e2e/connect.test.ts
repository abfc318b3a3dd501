import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ok } from "../../src/contracts/index.ts";
import {
  CONNECT_CODES,
  formatSeedFile,
  ServerClock,
  SessionKeys,
  silentLogger,
  TransportError,
  TrellisClient,
  TrellisService,
  ValidationError,
} from "../../src/runtime/index.ts";
import { assertInstanceOf } from "../support/assert.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance, rpc } from "../server/admin-helpers.ts";
import { echoApp, echoContract, otherContract } from "../server/fixtures.ts";
import { approvedSession, trellisUrlOf } from "./support/sessions.ts";

let stack: LocalStack;
let trellisUrl: string;
const dir = mkdtempSync(join(tmpdir(), "trellis-connect-"));
const stopLater: { stop(): Promise<void> }[] = [];

before(async () => {
  stack = await startLocalStack();
  trellisUrl = trellisUrlOf(stack);
  await approveService(stack, "other", otherContract.CONTRACT);
  await approveService(stack, "echo", echoContract().CONTRACT);
});

after(async () => {
  await Promise.allSettled(stopLater.map((x) => x.stop()));
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const approvedUser = () => approvedSession(stack, echoApp.CONTRACT, ["test.echo::secret"]);

describe("TrellisService.connect and TrellisClient.connect through the control plane", () => {
  test("a provisioned service (seed from the environment) and an approved app (seed file) talk", async () => {
    const serviceKeys = await provisionInstance(stack, "echo");
    const service = (
      await TrellisService.connect({
        trellisUrl,
        contract: echoContract(),
        name: "echo",
        logger: silentLogger,
        sessionKeySeed: serviceKeys.exportSeed(),
      })
    ).orThrow();
    stopLater.push(service);
    (
      await service.handle.rpc.echo.ping(({ input, context }) =>
        ok({ text: `${input.text} from ${context.caller.type}` }),
      )
    ).orThrow();

    const userKeys = await approvedUser();
    const seedFile = join(dir, "user.seed");
    writeFileSync(seedFile, formatSeedFile(userKeys), { mode: 0o600 });
    const client = (
      await TrellisClient.connect({ trellisUrl, logger: silentLogger, contract: echoApp, sessionKeySeedFile: seedFile })
    ).orThrow();
    stopLater.push(client);
    const answer = await client.rpc.echo.ping({ text: "hi" });
    assert.deepEqual(answer.orThrow(), { text: "hi from user" });
  });

  test("a clock two minutes off is corrected from serverNow (iat_out_of_range is retried once)", async () => {
    const serviceKeys = await provisionInstance(stack, "echo");
    const skewed = new ServerClock();
    skewed.offsetMs = -120_000;
    const service = (
      await TrellisService.connect({
        trellisUrl,
        contract: echoContract(),
        name: "echo",
        logger: silentLogger,
        keys: serviceKeys,
        clock: skewed,
      })
    ).orThrow();
    stopLater.push(service);
    assert.ok(Math.abs(skewed.offsetMs) < 5000, `offset corrected, now ${skewed.offsetMs} ms`);
  });

  test("a key not provisioned yet is waited for, and connects once provisioned", async () => {
    const keys = await SessionKeys.generate();
    const connecting = TrellisService.connect({
      trellisUrl,
      contract: echoContract(),
      name: "echo",
      logger: silentLogger,
      keys,
      approvalWaitMs: 30_000,
    });
    // The instance appears while connect is retrying bootstrap (unknown_service is "not yet").
    (
      await stack.admin.client.call(rpc()["Auth.Admin.Instances.Provision"], {
        deploymentId: "echo",
        sessionKey: keys.sessionKey,
      })
    ).orThrow();
    const service = (await connecting).orThrow();
    stopLater.push(service);
    assert.equal(service.state, "running");
  });

  test("still pending when the wait runs out: a TransportError carrying the reason code", async () => {
    const keys = await SessionKeys.generate();
    const result = await TrellisService.connect({
      trellisUrl,
      contract: echoContract(),
      name: "echo",
      logger: silentLogger,
      keys,
      approvalWaitMs: 0,
    });
    assert.ok(result.isErr());
    assertInstanceOf(result.error, TransportError);
    assert.equal(result.error.code, CONNECT_CODES.pending);
    assert.equal(result.error.context?.reason, "unknown_service");
  });

  test("a final refusal is not retried: a disabled deployment is service_disabled", async () => {
    await approveService(stack, "echo-off", echoContract().CONTRACT);
    const keys = await provisionInstance(stack, "echo-off");
    (await stack.admin.client.call(rpc()["Auth.Admin.Deployments.Disable"], { deploymentId: "echo-off" })).orThrow();
    const result = await TrellisService.connect({
      trellisUrl,
      contract: echoContract(),
      name: "echo",
      logger: silentLogger,
      keys,
      approvalWaitMs: 60_000,
    });
    assert.ok(result.isErr());
    assertInstanceOf(result.error, TransportError);
    assert.equal(result.error.code, CONNECT_CODES.refused);
    assert.equal(result.error.context?.reason, "service_disabled");
  });

  test("an unapproved app session fails with auth_required; a malformed seed is a ValidationError", async () => {
    const stranger = await SessionKeys.generate();
    const refused = await TrellisClient.connect({
      trellisUrl,
      logger: silentLogger,
      contract: echoApp,
      keys: stranger,
    });
    assert.ok(refused.isErr());
    assertInstanceOf(refused.error, TransportError);
    assert.equal(refused.error.context?.reason, "auth_required");

    const malformed = await TrellisClient.connect({
      trellisUrl,
      logger: silentLogger,
      contract: echoApp,
      sessionKeySeed: "not-a-seed",
    });
    assert.ok(malformed.isErr());
    assertInstanceOf(malformed.error, ValidationError);
    assert.doesNotMatch(JSON.stringify(malformed.error.toJSON()), /not-a-seed/);
  });

  test("an unreachable bootstrap endpoint is trellis.connect.unreachable", async () => {
    const result = await TrellisClient.connect({
      trellisUrl: "http://127.0.0.1:9",
      contract: echoApp,
      logger: silentLogger,
      keys: await SessionKeys.generate(),
    });
    assert.ok(result.isErr());
    assertInstanceOf(result.error, TransportError);
    assert.equal(result.error.code, CONNECT_CODES.unreachable);
  });
});
