import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import * as v from "valibot";
import { defineAppContract, defineServiceContract } from "../../src/contracts/index.ts";
import { freePort } from "../../src/cli/local/free-port.ts";
import { SessionKeys, silentLogger, TrellisClient } from "../../src/runtime/index.ts";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";
import { LongRunning } from "./support/long-running.ts";

/**
 * `trellis dev` and `trellis run` as a user with only the compiled binary
 * runs them (tooling.md §3.5, §5): a project in a temporary directory with
 * no node_modules imports `@trellis/runtime` and `valibot`, which the binary
 * embeds.
 */
const dir = mkdtempSync(join(tmpdir(), "trellis-dev-run-"));
const binary = join(dir, "bin", "trellis");
const project = join(dir, "echo-service");
const devDir = join(dir, "dev");
let dev: LongRunning;
let trellisUrl: string;

// From the repository, not this file: on Node.js this file runs compiled from dist/.
const FIXTURE = join(REPO_ROOT, "test", "e2e", "fixtures", "echo-service");
const mainWithSuffix = (suffix: string) =>
  readFileSync(join(FIXTURE, "main.ts"), "utf8").replace(
    'const SUFFIX = "";',
    `const SUFFIX = ${JSON.stringify(suffix)};`,
  );

// The same contract in the test's own process: same manifest, same digest.
const echo = defineServiceContract({ schemas: { Ping: v.object({ text: v.string() }) } }, (ref) => ({
  id: "acme.echo@v1",
  displayName: "Echo",
  description: "Echoes text.",
  rpc: {
    "Echo.Ping": { version: "v1", input: ref.schema("Ping"), output: ref.schema("Ping"), capabilities: { call: [] } },
  },
}));
const app = defineAppContract(() => ({
  id: "acme.echo-app@v1",
  displayName: "Echo app",
  description: "Calls echo.",
  uses: { required: { echo: echo.use({ rpc: { call: ["Echo.Ping"] } }) } },
}));

before(async () => {
  assert.equal(await runBuild(), 0);
  writeFileSync(join(dir, "app.json"), JSON.stringify(app.CONTRACT));
  // A copy, not the fixture itself: the repository's tsconfig and node_modules must not be found from it.
  cpSync(FIXTURE, project, { recursive: true });
  const [nats, monitor, trellis] = [await freePort(), await freePort(), await freePort()];
  dev = new LongRunning(
    [
      binary,
      "dev",
      "--dir",
      devDir,
      "--json",
      "--nats-port",
      String(nats),
      "--monitor-port",
      String(monitor),
      "--trellis-port",
      String(trellis),
    ],
    { cwd: dir, env: { TRELLIS_LOG: "warn" } },
  );
  await dev.waitFor(/"configDir"/);
  trellisUrl = `http://127.0.0.1:${trellis}`;
});

after(async () => {
  if (dev !== undefined) assert.equal(await dev.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

async function runBuild(): Promise<number> {
  const { spawnSync } = await import("node:child_process");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(project, { recursive: true });
  // Bun builds the binary, also when this suite runs on Node.js.
  const bun = process.versions.bun === undefined ? "bun" : process.execPath;
  const build = spawnSync(bun, ["scripts/build.ts", "--outfile", binary], {
    cwd: REPO_ROOT,
    stdio: "ignore",
  });
  return build.status ?? 1;
}

/** An app session for acme.echo-app@v1, approved with the dev admin session through the CLI. */
async function appClient() {
  const keys = await SessionKeys.generate();
  const approved = await runTrellis(
    ["sessions", "approve", "--contract", join(dir, "app.json"), "--session-key", keys.sessionKey, "--user", "dev"],
    { binary, cwd: dir, env: { TRELLIS_CONFIG_DIR: join(devDir, "trellis") } },
  );
  assert.equal(approved.exitCode, 0, approved.stderr);
  return (await TrellisClient.connect({ trellisUrl, contract: app, keys, logger: silentLogger })).orThrow();
}

describe("trellis dev", () => {
  test("leaves a bundle, a dev marker and an admin session usable as TRELLIS_CONFIG_DIR", async () => {
    const marker = JSON.parse(readFileSync(join(devDir, "dev.json"), "utf8")) as { trellisUrl: string };
    assert.equal(marker.trellisUrl, trellisUrl);
    const list = await runTrellis(["svc", "list", "--json"], {
      binary,
      cwd: dir,
      env: { TRELLIS_CONFIG_DIR: join(devDir, "trellis") },
    });
    assert.equal(list.exitCode, 0, list.stderr);
  });
});

describe("trellis run (compiled binary, no node_modules)", () => {
  test("generates, approves, provisions and runs the module; SIGTERM stops it cleanly", async () => {
    const run = new LongRunning([binary, "run", "main.ts", "--dir", devDir, "--", "hello", "there"], { cwd: project });
    try {
      await run.waitFor(/^echo ready hello there$/);
      const seed = join(devDir, "seeds", "acme-echo.seed");
      assert.equal(statSync(seed).mode & 0o777, 0o600);
      assert.ok(
        !run.lines.some((line) => line.includes(readFileSync(seed, "utf8").trim())),
        "the seed is never printed",
      );
      const client = await appClient();
      assert.deepEqual((await client.rpc.echo.ping({ text: "hi" })).orThrow(), { text: "hi" });
      await client.stop();
    } finally {
      assert.equal(await run.stop(), 0);
    }
    assert.ok(run.lines.includes("echo stopped"));
  });

  test("--watch restarts the module when a file of its project changes", async () => {
    const run = new LongRunning([binary, "run", "main.ts", "--dir", devDir, "--watch"], { cwd: project });
    try {
      await run.waitFor(/^echo ready/);
      const client = await appClient();
      assert.deepEqual((await client.rpc.echo.ping({ text: "a" })).orThrow(), { text: "a" });
      const from = run.lines.length;
      writeFileSync(join(project, "main.ts"), mainWithSuffix("!"));
      await run.waitFor(/^echo stopped$/, from);
      await run.waitFor(/^echo ready/, from);
      let answer;
      // The old instance may still be draining out of the queue group for a moment.
      for (let attempt = 0; attempt < 20; attempt++) {
        answer = (await client.rpc.echo.ping({ text: "b" })).orThrow();
        if (answer.text === "b!") break;
      }
      assert.deepEqual(answer, { text: "b!" });
      await client.stop();
    } finally {
      assert.equal(await run.stop(), 0);
    }
  });
});
