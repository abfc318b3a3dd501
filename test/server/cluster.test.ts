import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { inboxPrefix } from "../../src/contracts/index.ts";
import { NatsServerProcess } from "../../src/cli/index.ts";
import { waitForAccountJetStream } from "../../src/cli/local/account-jetstream.ts";
import { freePort } from "../../src/cli/local/free-port.ts";
import { waitForMetaGroup, withPortRetry } from "../../src/cli/local/local-nats.ts";
import {
  calloutAuthenticator,
  createLogger,
  parseCredsText,
  readSeedFile,
  RpcClient,
  ServerClock,
  SessionKeys,
} from "../../src/runtime/index.ts";
import { authContract } from "../../src/contracts/index.ts";
import { ControlPlane, loadServerConfig, type ServerConfigFile } from "../../src/server/index.ts";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";
import { natsBinary } from "../support/nats.ts";
import { otherContract } from "./fixtures.ts";

let root: string;
const nodes: NatsServerProcess[] = [];
const planes: ControlPlane[] = [];
const connections: NatsConnection[] = [];
let urls: string[] = [];
let configPath: string;

/**
 * Three nats-servers from deploy/nats/cluster.conf (ports rewritten to free
 * ones) with the jwt.conf of a `trellis local init` bundle, streams and
 * buckets at replicas 3, and two control-plane replicas, each connected to
 * a different node.
 */
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "trellis-cluster-"));
  const bundle = join(root, "bundle");
  const init = await runTrellis(["local", "init", "--out", bundle, "--no-websocket"]);
  if (init.exitCode !== 0) throw new Error(init.stderr);
  // A port picked by freePort can be taken before nats-server binds it (by a route connection's
  // local port, say); like the launcher, pick new ports and start again.
  nodes.push(...(await startCluster(root, bundle)));
  urls = nodes.map((node) => node.url);
  configPath = join(bundle, "trellis", "config.json");
  const file = JSON.parse(readFileSync(configPath, "utf8")) as ServerConfigFile;
  const creds = (path: string) => join(bundle, "trellis", path);
  await waitForAccountJetStream(nodes, [
    { id: file.callout.authAccount, credsPath: creds(file.nats.authCreds) },
    { id: file.callout.trellisAccount, credsPath: creds(file.nats.trellisCreds) },
  ]);
  writeFileSync(
    configPath,
    JSON.stringify({
      ...file,
      nats: { ...file.nats, servers: urls },
      clients: { natsServers: urls },
      jetstream: { replicas: 3 },
    }),
  );
  const applied = await runTrellis(["infra", "apply", "--config", configPath, "--jetstream-replicas", "3", "--json"]);
  if (applied.exitCode !== 0) throw new Error(`infra apply: ${applied.stdout}${applied.stderr}`);
}, 150_000);

/**
 * Three healthy nodes forming one meta group. /healthz is not enough for R3
 * creates in the AUTH and TRELLIS accounts: every node must be a current
 * meta peer (and each account's JetStream loaded on every node, see
 * account-jetstream.ts). Under a loaded full run a node has been seen never
 * to join within 20 s; a fresh cluster on new ports then forms normally, so
 * that is tried up to twice more.
 */
async function startCluster(root: string, bundle: string): Promise<NatsServerProcess[]> {
  for (let attempt = 1; ; attempt++) {
    const started = await withPortRetry(() => startNodes(root, bundle));
    try {
      await waitForMetaGroup(started);
      return started;
    } catch (error) {
      await Promise.all(started.map((node) => node.stop()));
      for (let i = 1; i <= 3; i++) rmSync(join(root, `node-${i}`), { recursive: true, force: true });
      if (attempt >= 3) throw error;
    }
  }
}

/** Three nodes on fresh free ports, healthy; nothing left running or on disk when it fails. */
async function startNodes(root: string, bundle: string): Promise<NatsServerProcess[]> {
  const ports = await Promise.all(
    Array.from({ length: 3 }, async () => ({
      client: await freePort(),
      monitor: await freePort(),
      route: await freePort(),
    })),
  );
  const template = readFileSync(join(REPO_ROOT, "deploy", "nats", "cluster.conf"), "utf8");
  const dirs = ports.map((_, i) => join(root, `node-${i + 1}`));
  for (const [i, port] of ports.entries()) {
    const dir = dirs[i]!;
    mkdirSync(join(dir, "data", "jwt"), { recursive: true });
    copyFileSync(join(bundle, "nats", "jwt.conf"), join(dir, "jwt.conf"));
    // Values the template takes from the environment, written in (deploy-templates checks the env form).
    const conf = template
      .replace("$TRELLIS_NATS_NAME", `"nats-${i + 1}"`)
      .replace("$TRELLIS_NATS_DIR", JSON.stringify(join(dir, "js")))
      .replace("$TRELLIS_NATS_ROUTE_1", `"nats-route://127.0.0.1:${ports[0]!.route}"`)
      .replace("$TRELLIS_NATS_ROUTE_2", `"nats-route://127.0.0.1:${ports[1]!.route}"`)
      .replace("$TRELLIS_NATS_ROUTE_3", `"nats-route://127.0.0.1:${ports[2]!.route}"`)
      .replace('listen: "0.0.0.0:4222"', `listen: "127.0.0.1:${port.client}"`)
      .replace('http: "127.0.0.1:8222"', `http: "127.0.0.1:${port.monitor}"`)
      .replace('listen: "0.0.0.0:6222"', `listen: "127.0.0.1:${port.route}"`);
    writeFileSync(join(dir, "cluster.conf"), conf);
  }
  const started = ports.map((port, i) =>
    NatsServerProcess.spawn(
      { serverName: `nats-${i + 1}`, port: port.client, monitorPort: port.monitor },
      { binary: natsBinary(), workDir: dirs[i]!, configFile: { path: join(dirs[i]!, "cluster.conf"), cwd: dirs[i]! } },
    ),
  );
  try {
    await Promise.all(started.map((node) => node.waitReady()));
    return started;
  } catch (error) {
    await Promise.all(started.map((node) => node.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

afterAll(async () => {
  await Promise.allSettled(connections.map((nc) => nc.close()));
  await Promise.allSettled(planes.map((plane) => plane.stop()));
  await Promise.allSettled(nodes.map((node) => node.stop()));
  rmSync(root, { recursive: true, force: true });
});

describe("a 3-node cluster from the deploy template, replicas 3, two control planes", () => {
  test("infra is ready at replicas 3", async () => {
    const check = await runTrellis(["infra", "check", "--config", configPath, "--json"]);
    expect(check.exitCode).toBe(0);
    expect(JSON.parse(check.stdout).ready).toBe(true);
  });

  test("clients on any node are admitted through replicas on other nodes, and their admin calls work", async () => {
    const base = loadServerConfig(configPath).orThrow();
    const logger = createLogger({ level: "silent" });
    for (const [i, url] of [urls[0]!, urls[1]!].entries()) {
      const config = { ...base, nats: { ...base.nats, servers: [url] }, http: i === 0 ? base.http : undefined };
      planes.push((await ControlPlane.start(config, { logger })).orThrow());
    }
    const sentinel = parseCredsText(readFileSync(base.nats.sentinelCreds, "utf8")).orThrow();
    const admin = (await readSeedFile(join(root, "bundle", "trellis", "session.seed"))).orThrow();
    const context = JSON.parse(readFileSync(join(root, "bundle", "trellis", "context.json"), "utf8"));
    const clientOf = async (keys: SessionKeys, digest: string, server: string) => {
      const nc = await connect({
        servers: server,
        authenticator: calloutAuthenticator({ sentinel, keys, contractDigest: digest, clock: new ServerClock() }),
        inboxPrefix: inboxPrefix(keys.sessionKey),
        maxReconnectAttempts: 0,
      });
      connections.push(nc);
      return nc;
    };
    const rpc = authContract().API.owned.rpc;
    // The third node runs no control plane: its clients are still admitted.
    const client = new RpcClient(await clientOf(admin, context.contractDigest, urls[2]!), { keys: admin });
    (await client.call(rpc["Auth.Admin.Deployments.Create"], { deploymentId: "other" })).orThrow();
    const plan = (
      await client.call(rpc["Auth.Admin.Approvals.Apply"], {
        deploymentId: "other",
        contract: otherContract.CONTRACT as never,
      })
    ).orThrow();
    expect(plan.applied).toBe(true);
    const instance = await SessionKeys.generate();
    (
      await client.call(rpc["Auth.Admin.Instances.Provision"], {
        deploymentId: "other",
        sessionKey: instance.sessionKey,
      })
    ).orThrow();
    for (const url of urls) {
      const nc = await clientOf(instance, otherContract.CONTRACT_DIGEST, url);
      expect(nc.isClosed()).toBe(false);
    }
    // Losing one control plane loses nothing: the other answers callout and RPCs.
    await planes.shift()!.stop();
    expect((await client.call(rpc["Auth.Admin.Deployments.List"], {})).orThrow().deployments).toHaveLength(1);
    expect((await clientOf(instance, otherContract.CONTRACT_DIGEST, urls[0]!)).isClosed()).toBe(false);
  }, 60_000);
});
