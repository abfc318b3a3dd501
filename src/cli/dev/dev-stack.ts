import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import type { Logger } from "../../runtime/index.ts";
import { applyInfra, connectWithCreds, ControlPlane, loadServerConfig } from "../../server/index.ts";
import { writeBundle } from "../local-bundle/write-bundle.ts";
import { findNatsServer, NATS_SERVER_MISSING_HINT } from "../local/find-nats-server.ts";
import { NatsServerProcess } from "../local/nats-process.ts";
import { devPaths, readDevDir, writeDevMarker, type DevDir } from "./dev-dir.ts";

export type DevStackOptions = {
  dir: string;
  reset: boolean;
  /** Used only when the bundle is created. */
  ports: { nats: number; monitor: number; trellis: number };
  logger: Logger;
};

export type DevStack = {
  dev: DevDir;
  nats: NatsServerProcess;
  plane: ControlPlane;
  natsVersion: string;
  created: boolean;
  stop(): Promise<void>;
};

/**
 * `trellis dev` (tooling.md §3.5): `local init` if needed, nats-server on
 * loopback from the bundle's own nats.conf (file storage in the bundle, so
 * state survives restarts), `infra apply`, and the control plane in this
 * process. The bundle's admin session stays in `<dir>/trellis`.
 */
export async function startDevStack(options: DevStackOptions): Promise<Result<DevStack, string>> {
  const dir = resolve(options.dir);
  if (options.reset) rmSync(dir, { recursive: true, force: true });
  const binary = findNatsServer(process.cwd());
  if (binary === undefined) return err(NATS_SERVER_MISSING_HINT);

  let created = false;
  if (!existsSync(devPaths(dir).marker)) {
    const { nats, monitor, trellis } = options.ports;
    const written = await writeBundle({
      out: dir,
      force: false,
      names: { operator: "Trellis", system: "SYS", auth: "AUTH", trellis: "TRELLIS" },
      network: { serverName: "trellis-dev", natsPort: nats, monitorPort: monitor, websocketPort: undefined },
      trellisPort: trellis,
      publicOrigin: `http://127.0.0.1:${trellis}`,
      natsServerUrl: `nats://127.0.0.1:${nats}`,
      natsWebsocketUrl: undefined,
    });
    if (written.isErr())
      return err(`${written.error} (a dev directory needs ${devPaths(dir).marker}; --reset starts over)`);
    mkdirSync(devPaths(dir).seedsDir, { recursive: true, mode: 0o700 });
    writeDevMarker(dir, {
      format: "trellis.dev.v1",
      trellisUrl: written.value.publicOrigin,
      natsUrl: written.value.natsServerUrl,
      natsPort: nats,
      monitorPort: monitor,
    });
    created = true;
  }
  const dev = readDevDir(dir);
  if (dev.isErr()) return err(dev.error);
  const config = loadServerConfig(dev.value.configPath);
  if (config.isErr()) return err(`${dev.value.configPath}: ${config.error.message}`);

  let nats: NatsServerProcess;
  try {
    nats = await NatsServerProcess.start(
      { serverName: "trellis-dev", port: dev.value.marker.natsPort, monitorPort: dev.value.marker.monitorPort },
      { binary: binary.path, workDir: dir, configFile: { path: dev.value.natsConf, cwd: dirname(dev.value.natsConf) } },
    );
  } catch (error) {
    return err(`nats-server did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const fail = async (message: string) => {
    await nats.stop();
    return err(message);
  };

  try {
    const servers = config.value.nats.servers;
    const auth = await connectWithCreds({ servers, credsPath: config.value.nats.authCreds, name: "trellis dev infra" });
    const trellis = await connectWithCreds({
      servers,
      credsPath: config.value.nats.trellisCreds,
      name: "trellis dev infra",
    });
    const applied = await applyInfra({ auth, trellis }, { replicas: 1 });
    await Promise.all([auth.close(), trellis.close()]);
    const broken = applied.filter((report) => report.status === "drifted" || report.status === "unavailable");
    if (broken.length > 0) return fail(`infra apply: ${broken.map((r) => `${r.name} ${r.status}`).join(", ")}`);
  } catch (error) {
    return fail(`infra apply: ${error instanceof Error ? error.message : String(error)}`);
  }

  const plane = await ControlPlane.start(config.value, { logger: options.logger });
  if (plane.isErr()) return fail(`control plane: ${plane.error.message}`);
  return ok({
    dev: dev.value,
    nats,
    plane: plane.value,
    natsVersion: binary.version,
    created,
    stop: async () => {
      await plane.value.stop();
      await nats.stop();
    },
  });
}
