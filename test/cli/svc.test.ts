import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineDeviceContract, type NormalizedManifest } from "../../src/contracts/index.ts";
import { keysFromSeedText } from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { echoApp, echoContract, otherContract } from "../server/fixtures.ts";
import { lastDenial } from "../server/admin-helpers.ts";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";

let stack: LocalStack;
const files: Record<string, string> = {};

function manifestFile(name: string, manifest: NormalizedManifest | Record<string, unknown>): string {
  const path = join(stack.dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

beforeAll(async () => {
  stack = await startLocalStack();
  files.other = manifestFile("other", otherContract.CONTRACT);
  files.echo = manifestFile("echo", echoContract().CONTRACT);
  files.echo2 = manifestFile("echo2", echoContract({ revision: 2 }).CONTRACT);
  files.app = manifestFile("app", echoApp.CONTRACT);
  const withTransfer = structuredClone(otherContract.CONTRACT) as unknown as {
    id: string;
    rpc: Record<string, Record<string, unknown>>;
  };
  withTransfer.id = "test.upload@v1";
  withTransfer.rpc["Other.Used"]!.transfer = { direction: "receive" };
  files.transfer = manifestFile("transfer", withTransfer);
  files.device = manifestFile(
    "device",
    defineDeviceContract(() => ({ id: "test.device@v1", displayName: "Device", description: "A device." })).CONTRACT,
  );
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("trellis svc (session commands)", () => {
  test("list is empty, show of an unknown deployment is not found (exit 6)", async () => {
    const list = await stack.cli(["svc", "list", "--json"]);
    expect(list.exitCode).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ deployments: [] });
    expect((await stack.cli(["svc", "nope", "show"])).exitCode).toBe(6);
    expect((await stack.cli(["svc", "nope"])).exitCode).toBe(2);
    expect((await stack.cli(["svc", "Bad_Id", "create"])).exitCode).toBe(2);
  });

  test("create then apply shows the derived permissions and records the approval", async () => {
    expect((await stack.cli(["svc", "other", "create"])).stdout).toContain("ok deployment created");
    expect((await stack.cli(["svc", "other", "create"])).stdout).toContain("ok deployment exists");
    const applied = await stack.cli(["svc", "other", "apply", "--manifest", files.other!]);
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toContain(`digest=${otherContract.CONTRACT_DIGEST} change=new`);
    expect(applied.stderr).toContain("rpc.v1.Other.Used");
    expect(applied.stderr).toContain("capabilities asked for: (none)");
    const again = await stack.cli(["svc", "other", "apply", files.other!]);
    expect(again.stdout).toContain("ok unchanged");
  });

  test("a source file works as well (the orders example)", async () => {
    await stack.cli(["svc", "orders", "create"]);
    const applied = await stack.cli(["svc", "orders", "apply", "--source", "examples/orders/contract.ts", "--json"]);
    expect(applied.exitCode).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ applied: true, contractId: "acme.orders@v1" });
  });

  test("--source <project dir> discovers the project's one service contract (tooling.md §5 `apply --source .`)", async () => {
    const applied = await runTrellis(["svc", "orders", "apply", "--source", ".", "--json"], {
      cwd: join(REPO_ROOT, "examples", "orders"),
      env: { TRELLIS_CONFIG_DIR: stack.adminDir },
    });
    expect(applied.exitCode).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ contractId: "acme.orders@v1" });
    // The examples workspace holds an app too, but one service: that one.
    const workspace = await stack.cli(["svc", "orders", "apply", "--source", "examples", "--json"]);
    expect(JSON.parse(workspace.stdout)).toMatchObject({ contractId: "acme.orders@v1" });
    const none = await stack.cli(["svc", "orders", "apply", "--source", "examples/orders-web"]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("no service contract found");
  });

  test("a different digest is a change: exit 2 without --yes (no TTY), recorded with --yes", async () => {
    await stack.cli(["svc", "echo", "create"]);
    expect((await stack.cli(["svc", "echo", "apply", files.echo!, "--capability", "test.echo::secret"])).exitCode).toBe(
      0,
    );
    const dry = await stack.cli(["svc", "echo", "apply", files.echo2!, "--dry-run", "--json"]);
    expect(JSON.parse(dry.stdout)).toMatchObject({ applied: false, change: "changed" });
    const refused = await stack.cli(["svc", "echo", "apply", files.echo2!]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("--yes");
    expect(refused.stderr).toContain("change:     changed");
    const accepted = await stack.cli(["svc", "echo", "apply", files.echo2!, "--yes", "--replace"]);
    expect(accepted.exitCode).toBe(0);
    expect(accepted.stdout).toContain("change=changed");
    expect(accepted.stdout).toContain(`revoked=${echoContract().CONTRACT_DIGEST}`);
  });

  test("transfer surfaces, device contracts and app contracts are refused with a clear error", async () => {
    await stack.cli(["svc", "upload", "create"]);
    const transfer = await stack.cli(["svc", "upload", "apply", files.transfer!]);
    expect(transfer.exitCode).toBe(3);
    expect(transfer.stderr).toContain("transfer is not supported");
    await stack.cli(["svc", "device", "create"]);
    const device = await stack.cli(["svc", "device", "apply", files.device!, "--json"]);
    expect(device.exitCode).toBe(5);
    expect(JSON.parse(device.stderr).error.code).toBe("auth_unknown_device");
    const app = await stack.cli(["svc", "device", "apply", files.app!]);
    expect(app.exitCode).toBe(3);
    expect(app.stderr).toContain("trellis sessions approve");
    const wrongLineage = await stack.cli(["svc", "other", "apply", files.echo!]);
    expect(wrongLineage.exitCode).toBe(3);
    expect(wrongLineage.stderr).toContain("serves test.other@v1");
  });

  test("provision prints a new instance seed once (or writes it 0600); show lists the instance and its last denial", async () => {
    const printed = await stack.cli(["svc", "echo", "provision", "--json"]);
    expect(printed.exitCode).toBe(0);
    const { instance, seed } = JSON.parse(printed.stdout);
    const keys = (await keysFromSeedText(seed)).orThrow();
    expect(instance.sessionKey).toBe(keys.sessionKey);

    const out = join(stack.dir, "instance.seed");
    const written = await stack.cli(["svc", "echo", "provision", "--out", out]);
    expect(written.exitCode).toBe(0);
    expect(written.stdout).not.toContain("seed=");
    expect(statSync(out).mode & 0o777).toBe(0o600);

    // The revoked first digest is refused now; show displays why.
    expect("error" in (await stack.connectAs(keys, echoContract().CONTRACT_DIGEST))).toBe(true);
    await lastDenial(stack, { sessionKey: keys.sessionKey });
    const shown = await stack.cli(["svc", "echo", "show"]);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain(instance.instanceId);
    expect(shown.stdout).toContain("contract_changed at");
    expect(shown.stdout).toContain(echoContract({ revision: 2 }).CONTRACT_DIGEST);
    expect(shown.stdout).toMatch(/revoked \d{4}-/);
    expect(shown.stdout).toContain("eventConsumer");
    const connected = await stack.connectAs(keys, echoContract({ revision: 2 }).CONTRACT_DIGEST);
    expect("nc" in connected).toBe(true);
  });

  test("list, disable and enable", async () => {
    const list = JSON.parse((await stack.cli(["svc", "list", "--json"])).stdout);
    const echo = list.deployments.find(
      (d: { deployment: { deploymentId: string } }) => d.deployment.deploymentId === "echo",
    );
    expect(echo.approvedDigests).toEqual([echoContract({ revision: 2 }).CONTRACT_DIGEST]);
    expect(echo.instances).toBe(2);
    expect((await stack.cli(["svc", "echo", "disable"])).stdout).toContain("ok deployment disabled");
    expect((await stack.cli(["svc", "list"])).stdout).toMatch(/echo\s+test\.echo@v1\s+disabled/);
    expect((await stack.cli(["svc", "echo", "enable"])).exitCode).toBe(0);
    expect((await stack.cli(["svc", "ghost", "disable"])).exitCode).toBe(6);
  });
});

describe("trellis sessions", () => {
  test("approve binds a key to an app contract; missing capabilities and device contracts are refused", async () => {
    const key = (
      await keysFromSeedText((JSON.parse((await stack.cli(["keys", "new", "--json"])).stdout) as { seed: string }).seed)
    ).orThrow();
    const lacking = await stack.cli(["sessions", "approve", "--contract", files.app!, "--session-key", key.sessionKey]);
    expect(lacking.exitCode).toBe(5);
    expect(lacking.stderr).toContain("test.echo::secret");
    const approved = await stack.cli([
      "sessions",
      "approve",
      "--contract",
      files.app!,
      "--session-key",
      key.sessionKey,
      "--user",
      "bob",
      "--capability",
      "test.echo::secret",
    ]);
    expect(approved.exitCode).toBe(0);
    expect(approved.stdout).toContain("user=bob");
    expect("nc" in (await stack.connectAs(key, echoApp.CONTRACT_DIGEST))).toBe(true);
    const device = await stack.cli([
      "sessions",
      "approve",
      "--contract",
      files.device!,
      "--session-key",
      key.sessionKey,
    ]);
    expect(device.exitCode).toBe(5);
    expect(device.stderr).toContain("device");
    expect((await stack.cli(["sessions", "revoke", "--session-key", key.sessionKey])).exitCode).toBe(0);
    expect((await stack.cli(["sessions", "revoke", "--session-key", key.sessionKey])).exitCode).toBe(6);
  });

  test("session commands exit 5 without a session or without a control plane", async () => {
    const none = await stack.cli(["svc", "list"], { TRELLIS_CONFIG_DIR: join(stack.dir, "nowhere") });
    expect(none.exitCode).toBe(5);
    expect(none.stderr).toContain("no Trellis session");
    const stranger = join(stack.dir, "stranger");
    const { mkdirSync, copyFileSync } = await import("node:fs");
    mkdirSync(stranger);
    copyFileSync(join(stack.adminDir, "context.json"), join(stranger, "context.json"));
    writeFileSync(join(stranger, "session.seed"), `${"A".repeat(42)}Q\n`);
    const denied = await stack.cli(["svc", "list"], { TRELLIS_CONFIG_DIR: stranger });
    expect(denied.exitCode).toBe(5);
    expect(denied.stderr).toContain("auth_required");
  });

  test("with the control plane down, session commands exit 5 (the callout cannot admit anyone) and say why", async () => {
    await stack.planes[0]!.stop();
    const run = await stack.cli(["svc", "list", "--json"]);
    expect(run.exitCode).toBe(5);
    const error = JSON.parse(run.stderr).error;
    expect(error.exit).toBe(5);
    // Nothing answered the connect (not a refusal), and the bootstrap URL did not answer either.
    expect(error.message).toContain("the auth callout did not admit the session");
    expect(error.message).toContain("bootstrap http://");
    expect(error.hint).toContain("is a control plane running");
  }, 30_000);
});
