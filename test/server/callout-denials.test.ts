import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createConnectToken, SessionKeys, ServerClock } from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, lastDenial, provisionInstance, rpc } from "./admin-helpers.ts";
import { echoContract, otherContract } from "./fixtures.ts";

let stack: LocalStack;
let approvedDigest: string;

beforeAll(async () => {
  stack = await startLocalStack();
  await approveService(stack, "other", otherContract.CONTRACT);
  approvedDigest = (await approveService(stack, "echo", echoContract().CONTRACT)).contractDigest;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** The client only ever sees the server's generic refusal (auth.md §5 "Observed on 2.10.27"). */
function expectRefused(outcome: { error: string } | { nc: unknown }): void {
  expect("error" in outcome).toBe(true);
  if ("error" in outcome) expect(outcome.error).toMatch(/Authorization Violation/i);
}

describe("the callout refuses at connect and records the reason", () => {
  test("no token: auth_token_required (recorded per client host)", async () => {
    expectRefused(await stack.connectRaw(undefined));
    expect((await lastDenial(stack, { host: "127.0.0.1" }))?.reason).toBe("auth_token_required");
  });

  test("a token that is not JSON: invalid_auth_token", async () => {
    expectRefused(await stack.connectRaw("not json {"));
    expect((await lastDenial(stack, { host: "127.0.0.1" }))?.reason).toBe("invalid_auth_token");
  });

  test("a malformed field (v=2, non-integer iat)", async () => {
    const keys = await SessionKeys.generate();
    const good = JSON.parse(await createConnectToken(keys, approvedDigest, Math.floor(Date.now() / 1000)));
    expectRefused(await stack.connectRaw(JSON.stringify({ ...good, v: 2 })));
    expect((await lastDenial(stack, { sessionKey: keys.sessionKey }))?.reason).toBe("unsupported_protocol_version");
    expectRefused(await stack.connectRaw(JSON.stringify({ ...good, iat: 1.5 })));
    expect((await lastDenial(stack, { sessionKey: keys.sessionKey }))?.reason).toBe("invalid_auth_token");
  });

  test("a wrong signature: invalid_signature", async () => {
    const keys = await provisionInstance(stack, "echo");
    const other = await SessionKeys.generate();
    const token = JSON.parse(await createConnectToken(other, approvedDigest, Math.floor(Date.now() / 1000)));
    expectRefused(await stack.connectRaw(JSON.stringify({ ...token, sessionKey: keys.sessionKey })));
    expect((await lastDenial(stack, { sessionKey: keys.sessionKey }))?.reason).toBe("invalid_signature");
  });

  test("an iat 31 s old: iat_out_of_range", async () => {
    const keys = await provisionInstance(stack, "echo");
    const clock = new ServerClock();
    clock.offsetMs = -31_000;
    expectRefused(await stack.connectAs(keys, approvedDigest, { clock }));
    expect((await lastDenial(stack, { sessionKey: keys.sessionKey }))?.reason).toBe("iat_out_of_range");
  });

  test("an unknown session key: session_not_found", async () => {
    const keys = await SessionKeys.generate();
    expectRefused(await stack.connectAs(keys, approvedDigest));
    expect((await lastDenial(stack, { sessionKey: keys.sessionKey }))?.reason).toBe("session_not_found");
  });

  test("a digest never approved: service_authority_miss, or contract_changed once another digest is", async () => {
    (await stack.admin.client.call(rpc()["Auth.Admin.Deployments.Create"], { deploymentId: "fresh" })).orThrow();
    const keys = await provisionInstance(stack, "fresh");
    expectRefused(await stack.connectAs(keys, approvedDigest));
    expect((await lastDenial(stack, { sessionKey: keys.sessionKey }))?.reason).toBe("service_authority_miss");

    const echoKeys = await provisionInstance(stack, "echo");
    expectRefused(await stack.connectAs(echoKeys, echoContract({ revision: 2 }).CONTRACT_DIGEST));
    expect((await lastDenial(stack, { sessionKey: echoKeys.sessionKey }))?.reason).toBe("contract_changed");
  });

  test("a disabled service: service_disabled, shown by trellis svc <id> show", async () => {
    await approveService(stack, "gone", otherContract.CONTRACT);
    const keys = await provisionInstance(stack, "gone");
    const before = await stack.connectAs(keys, otherContract.CONTRACT_DIGEST);
    expect("nc" in before).toBe(true);
    (await stack.admin.client.call(rpc()["Auth.Admin.Deployments.Disable"], { deploymentId: "gone" })).orThrow();
    expectRefused(await stack.connectAs(keys, otherContract.CONTRACT_DIGEST));
    expect((await lastDenial(stack, { sessionKey: keys.sessionKey }))?.reason).toBe("service_disabled");

    const shown = await stack.cli(["svc", "gone", "show"]);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain(keys.sessionKey);
    expect(shown.stdout).toMatch(/service_disabled at \d{4}-/);
    const json = JSON.parse((await stack.cli(["svc", "gone", "show", "--json"])).stdout);
    expect(json.instances[0].lastDenial.reason).toBe("service_disabled");
    expect(json.deployment.disabled).toBe(true);

    (await stack.admin.client.call(rpc()["Auth.Admin.Deployments.Enable"], { deploymentId: "gone" })).orThrow();
    const after = await stack.connectAs(keys, otherContract.CONTRACT_DIGEST);
    expect("nc" in after).toBe(true);
  });

  test("an approved instance with its approved digest connects", async () => {
    const keys = await provisionInstance(stack, "echo");
    const outcome = await stack.connectAs(keys, approvedDigest);
    expect("nc" in outcome).toBe(true);
  });
});
