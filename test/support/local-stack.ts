import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { inboxPrefix, type NormalizedManifest } from "../../src/contracts/index.ts";
import { NatsServerProcess } from "../../src/cli/index.ts";
import { freePort } from "../../src/cli/local/free-port.ts";
import {
  calloutAuthenticator,
  createLogger,
  parseCredsText,
  readSeedFile,
  RpcClient,
  ServerClock,
  type SentinelCredentials,
  type SessionKeys,
} from "../../src/runtime/index.ts";
import {
  applyInfra,
  connectWithCreds,
  ControlPlane,
  loadServerConfig,
  type ServerConfig,
  type ServerConfigFile,
} from "../../src/server/index.ts";
import { runTrellis } from "./cli.ts";
import { natsBinary } from "./nats.ts";

export type ConnectOutcome = { nc: NatsConnection } | { error: string };

export type LocalStack = {
  /** The bundle root (moved after `local init`, so every test also proves it is movable). */
  dir: string;
  config: ServerConfig;
  natsUrl: string;
  nats: NatsServerProcess;
  planes: ControlPlane[];
  /** Every line the control planes logged (debug level). */
  logs: string[];
  sentinel: SentinelCredentials;
  admin: { keys: SessionKeys; nc: NatsConnection; client: RpcClient; contractDigest: string };
  /** The admin session directory, for CLI runs (`TRELLIS_CONFIG_DIR`). */
  adminDir: string;
  startReplica(): Promise<ControlPlane>;
  /** Connects through the callout as `keys` presenting `contractDigest`. */
  connectAs(keys: SessionKeys, contractDigest: string, options?: { clock?: ServerClock }): Promise<ConnectOutcome>;
  /** Connects with a hand-made CONNECT (`auth_token` as given, possibly absent). */
  connectRaw(authToken: string | undefined): Promise<ConnectOutcome>;
  cli(args: string[], env?: Record<string, string>): ReturnType<typeof runTrellis>;
  stop(): Promise<void>;
};

export type LocalStackOptions = {
  /** Merged into trellis/config.json before the control plane starts. */
  config?: Partial<ServerConfigFile>;
};

export type BundleNats = {
  root: string;
  /** The bundle root (moved after `local init`, so every test also proves it is movable). */
  dir: string;
  configPath: string;
  config: ServerConfig;
  nats: NatsServerProcess;
  natsUrl: string;
  stop(): Promise<void>;
};

/**
 * `trellis local init` on free loopback ports, the bundle moved elsewhere,
 * and nats-server started from the bundle's own nats.conf. No streams or
 * buckets yet (that is `infra apply`).
 */
export async function startBundleNats(config?: Partial<ServerConfigFile>): Promise<BundleNats> {
  const root = mkdtempSync(join(tmpdir(), "trellis-stack-"));
  const natsPort = await freePort();
  const monitorPort = await freePort();
  const trellisPort = await freePort();
  const initDir = join(root, "initial");
  const init = await runTrellis([
    "local",
    "init",
    "--out",
    initDir,
    "--nats-server-url",
    `nats://127.0.0.1:${natsPort}`,
    "--monitor-port",
    String(monitorPort),
    "--trellis-port",
    String(trellisPort),
    "--no-websocket",
    "--json",
  ]);
  if (init.exitCode !== 0) throw new Error(`local init failed: ${init.stderr}`);
  const dir = join(root, "bundle");
  renameSync(initDir, dir);
  const configPath = join(dir, "trellis", "config.json");
  if (config !== undefined) {
    const file = JSON.parse(readFileSync(configPath, "utf8")) as ServerConfigFile;
    writeFileSync(configPath, JSON.stringify({ ...file, ...config }, null, 2));
  }
  const nats = await NatsServerProcess.start(
    { serverName: "trellis-local", port: natsPort, monitorPort },
    {
      binary: natsBinary(),
      workDir: root,
      configFile: { path: join(dir, "nats", "nats.conf"), cwd: join(dir, "nats") },
    },
  );
  return {
    root,
    dir,
    configPath,
    config: loadServerConfig(configPath).orThrow(),
    nats,
    natsUrl: nats.url,
    stop: async () => {
      await nats.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * A real local stack as a user builds it: the bundle above, `infra apply`,
 * and the control plane in process (so its logs can be captured), with the
 * bundle's admin session connected.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const bundle = await startBundleNats(options.config);
  const { dir, config, nats, root } = bundle;
  const natsUrl = nats.url;
  const logs: string[] = [];
  const logger = createLogger({ level: "debug", write: (line) => void logs.push(line) });
  const planes: ControlPlane[] = [];
  const opened: NatsConnection[] = [];
  try {
    const auth = await connectWithCreds({ servers: [natsUrl], credsPath: config.nats.authCreds, name: "test infra" });
    const trellis = await connectWithCreds({
      servers: [natsUrl],
      credsPath: config.nats.trellisCreds,
      name: "test infra",
    });
    const applied = await applyInfra({ auth, trellis }, { replicas: 1 });
    await Promise.all([auth.close(), trellis.close()]);
    const failed = applied.filter((r) => r.status !== "created");
    if (failed.length > 0) throw new Error(`infra apply: ${JSON.stringify(failed)}`);

    const startReplica = async (): Promise<ControlPlane> => {
      // A second replica cannot share the bootstrap port.
      const replicaConfig = planes.length === 0 ? config : { ...config, http: undefined };
      const started = await ControlPlane.start(replicaConfig, { logger });
      if (started.isErr()) throw new Error(`control plane: ${started.error.message}`);
      planes.push(started.value);
      return started.value;
    };
    await startReplica();

    const sentinel = parseCredsText(readFileSync(config.nats.sentinelCreds, "utf8")).orThrow();
    const connectAs = async (keys: SessionKeys, contractDigest: string, o: { clock?: ServerClock } = {}) => {
      try {
        const nc = await connect({
          servers: natsUrl,
          authenticator: calloutAuthenticator({ sentinel, keys, contractDigest, clock: o.clock ?? new ServerClock() }),
          inboxPrefix: inboxPrefix(keys.sessionKey),
          maxReconnectAttempts: 0,
          timeout: 4000,
        });
        opened.push(nc);
        return { nc };
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    };
    const connectRaw = async (authToken: string | undefined) => {
      const { jwtAuthenticator } = await import("@nats-io/nats-core");
      const base = jwtAuthenticator(sentinel.jwt, new TextEncoder().encode(sentinel.seed));
      try {
        const nc = await connect({
          servers: natsUrl,
          authenticator: (nonce?: string) => ({
            ...(base(nonce) as { jwt: string }),
            ...(authToken === undefined ? {} : { auth_token: authToken }),
          }),
          maxReconnectAttempts: 0,
          timeout: 4000,
        });
        opened.push(nc);
        return { nc };
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    };

    const adminDir = join(dir, "trellis");
    const adminKeys = (await readSeedFile(join(adminDir, "session.seed"))).orThrow();
    const context = JSON.parse(readFileSync(join(adminDir, "context.json"), "utf8")) as { contractDigest: string };
    const adminConnection = await connectAs(adminKeys, context.contractDigest);
    if ("error" in adminConnection) throw new Error(`admin connect: ${adminConnection.error}`);
    const admin = {
      keys: adminKeys,
      nc: adminConnection.nc,
      client: new RpcClient(adminConnection.nc, { keys: adminKeys, timeoutMs: 10_000 }),
      contractDigest: context.contractDigest,
    };

    return {
      dir,
      config,
      natsUrl,
      nats,
      planes,
      logs,
      sentinel,
      admin,
      adminDir,
      startReplica,
      connectAs,
      connectRaw,
      cli: (args, env = {}) => runTrellis(args, { env: { TRELLIS_CONFIG_DIR: adminDir, ...env } }),
      stop: async () => {
        await Promise.allSettled(opened.map((nc) => nc.close()));
        await Promise.allSettled(planes.map((plane) => plane.stop()));
        await nats.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.map((nc) => nc.close()));
    await Promise.allSettled(planes.map((plane) => plane.stop()));
    await nats.stop();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** A manifest as the admin RPCs take it. */
export const asContract = (manifest: NormalizedManifest) => manifest as never;
