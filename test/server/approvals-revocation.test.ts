import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { NatsConnection } from "@nats-io/nats-core";
import { SessionKeys } from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, lastDenial, provisionInstance, rpc } from "./admin-helpers.ts";
import { echoApp, echoContract, otherContract } from "./fixtures.ts";

let stack: LocalStack;
const v1 = () => echoContract();
const v2 = () => echoContract({ revision: 2 });

beforeAll(async () => {
  stack = await startLocalStack();
  await approveService(stack, "other", otherContract.CONTRACT);
  await approveService(stack, "echo", v1().CONTRACT);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

function connection(outcome: { nc: NatsConnection } | { error: string }): NatsConnection {
  if ("error" in outcome) throw new Error(outcome.error);
  return outcome.nc;
}

/** Resolves with the close error when the server drops the connection. */
const closedWithin = (nc: NatsConnection, ms: number) =>
  Promise.race([nc.closed().then(() => "closed"), Bun.sleep(ms).then(() => "open")]);

describe("approvals take effect for new connections; revocation kicks live ones", () => {
  test("a new digest is refused until approved; accepting it is an explicit change", async () => {
    const keys = await provisionInstance(stack, "echo");
    expect("error" in (await stack.connectAs(keys, v2().CONTRACT_DIGEST))).toBe(true);
    expect((await lastDenial(stack, { sessionKey: keys.sessionKey }))?.reason).toBe("contract_changed");

    const apply = rpc()["Auth.Admin.Approvals.Apply"];
    const request = { deploymentId: "echo", contract: v2().CONTRACT as never, capabilities: [] };
    const plan = (await stack.admin.client.call(apply, { ...request, dryRun: true })).orThrow();
    expect(plan).toMatchObject({ applied: false, change: "changed", previousDigests: [v1().CONTRACT_DIGEST] });
    const refused = await stack.admin.client.call(apply, request);
    expect(refused.isErr() && refused.error.type).toBe("ApprovalChangeRequiredError");
    expect("error" in (await stack.connectAs(keys, v2().CONTRACT_DIGEST))).toBe(true);

    const applied = (await stack.admin.client.call(apply, { ...request, acceptChange: true })).orThrow();
    expect(applied).toMatchObject({ applied: true, change: "changed" });
    const nc = connection(await stack.connectAs(keys, v2().CONTRACT_DIGEST));
    expect(nc.isClosed()).toBe(false);
    // Both digests are approved now: a rolling deploy keeps the old instances connecting.
    connection(await stack.connectAs(await provisionInstance(stack, "echo"), v1().CONTRACT_DIGEST));
  });

  test("applying the same digest again is unchanged", async () => {
    const plan = (
      await stack.admin.client.call(rpc()["Auth.Admin.Approvals.Apply"], {
        deploymentId: "echo",
        contract: v2().CONTRACT as never,
        capabilities: [],
      })
    ).orThrow();
    expect(plan.change).toBe("unchanged");
  });

  test("revoking a digest kicks its live connections, leaves the other digest's, and refuses new connects", async () => {
    const oldKeys = await provisionInstance(stack, "echo");
    const newKeys = await provisionInstance(stack, "echo");
    const oldConnection = connection(await stack.connectAs(oldKeys, v1().CONTRACT_DIGEST));
    const newConnection = connection(await stack.connectAs(newKeys, v2().CONTRACT_DIGEST));
    await Bun.sleep(100); // presence is recorded right after the callout answers

    const revoked = (
      await stack.admin.client.call(rpc()["Auth.Admin.Approvals.Revoke"], {
        deploymentId: "echo",
        contractDigest: v1().CONTRACT_DIGEST,
      })
    ).orThrow();
    expect(revoked.revoked).toBe(true);
    expect(revoked.connectionsKicked).toBeGreaterThanOrEqual(1);
    expect(await closedWithin(oldConnection, 3000)).toBe("closed");
    expect(await closedWithin(newConnection, 300)).toBe("open");

    expect("error" in (await stack.connectAs(oldKeys, v1().CONTRACT_DIGEST))).toBe(true);
    expect((await lastDenial(stack, { sessionKey: oldKeys.sessionKey }))?.reason).toBe("contract_changed");
    connection(await stack.connectAs(newKeys, v2().CONTRACT_DIGEST));
  });

  test("revoking a user session kicks it, and its key is refused afterwards", async () => {
    const keys = await SessionKeys.generate();
    (
      await stack.admin.client.call(rpc()["Auth.Admin.Sessions.Approve"], {
        contract: echoApp.CONTRACT as never,
        sessionKey: keys.sessionKey,
        capabilities: ["test.echo::secret"],
      })
    ).orThrow();
    // echo-app uses Echo.Ping/Secret of the approved echo digests.
    const live = connection(await stack.connectAs(keys, echoApp.CONTRACT_DIGEST));
    await Bun.sleep(100);
    const revoked = (
      await stack.admin.client.call(rpc()["Auth.Admin.Sessions.Revoke"], { sessionKey: keys.sessionKey })
    ).orThrow();
    expect(revoked).toMatchObject({ revoked: true, sessionsDeleted: 1 });
    expect(await closedWithin(live, 3000)).toBe("closed");
    expect("error" in (await stack.connectAs(keys, echoApp.CONTRACT_DIGEST))).toBe(true);
    expect((await lastDenial(stack, { sessionKey: keys.sessionKey }))?.reason).toBe("session_not_found");
  });

  test("disabling a deployment kicks its instances", async () => {
    const keys = await provisionInstance(stack, "other");
    const live = connection(await stack.connectAs(keys, otherContract.CONTRACT_DIGEST));
    await Bun.sleep(100);
    (await stack.admin.client.call(rpc()["Auth.Admin.Deployments.Disable"], { deploymentId: "other" })).orThrow();
    expect(await closedWithin(live, 3000)).toBe("closed");
    (await stack.admin.client.call(rpc()["Auth.Admin.Deployments.Enable"], { deploymentId: "other" })).orThrow();
  });
});
