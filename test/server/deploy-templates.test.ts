import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";
import { natsBinary } from "../support/nats.ts";

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trellis-deploy-"));
  const init = await runTrellis(["local", "init", "--out", join(dir, "bundle"), "--no-websocket"]);
  if (init.exitCode !== 0) throw new Error(init.stderr);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `nats-server -t`: parses the config (includes, variables, operator JWT, resolver) and exits. */
function testConfig(template: string, env: Record<string, string>) {
  const node = mkdtempSync(join(dir, "node-"));
  copyFileSync(join(REPO_ROOT, "deploy", "nats", template), join(node, template));
  copyFileSync(join(dir, "bundle", "nats", "jwt.conf"), join(node, "jwt.conf"));
  mkdirSync(join(node, "data", "jwt"), { recursive: true });
  const run = Bun.spawnSync([natsBinary(), "-t", "-c", template], {
    cwd: node,
    env: { ...process.env, TRELLIS_NATS_DIR: join(node, "js"), ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { exitCode: run.exitCode, output: `${run.stdout.toString()}${run.stderr.toString()}` };
}

describe("deploy/ templates", () => {
  test("the single-server config parses with the bundle's jwt.conf", () => {
    const run = testConfig("single.conf", { TRELLIS_NATS_NAME: "nats-1" });
    expect(run.output).toContain("configuration file");
    expect(run.output).toMatch(/is valid/);
    expect(run.exitCode).toBe(0);
  });

  test("the cluster config parses for a node with its routes", () => {
    const run = testConfig("cluster.conf", {
      TRELLIS_NATS_NAME: "nats-2",
      TRELLIS_NATS_ROUTE_1: "nats-route://127.0.0.1:16222",
      TRELLIS_NATS_ROUTE_2: "nats-route://127.0.0.1:16223",
      TRELLIS_NATS_ROUTE_3: "nats-route://127.0.0.1:16224",
    });
    expect(run.output).toMatch(/is valid/);
    expect(run.exitCode).toBe(0);
  });

  test("the systemd unit runs trellis server with the config and drains on SIGTERM", () => {
    const unit = readFileSync(join(REPO_ROOT, "deploy", "systemd", "trellis-server.service"), "utf8");
    expect(unit).toContain("ExecStart=/usr/local/bin/trellis server --config ${TRELLIS_CONFIG}");
    expect(unit).toContain("KillSignal=SIGTERM");
    expect(unit).toMatch(/^\[Install\]$/m);
  });
});
