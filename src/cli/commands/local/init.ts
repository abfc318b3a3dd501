import { resolve } from "node:path";
import { err, ok } from "../../../contracts/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { writeBundle } from "../../local-bundle/write-bundle.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** host:port of a loopback URL, or why it is not one. */
function loopbackPort(url: string, flag: string): { port: number } | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: `--${flag}: not a URL: ${url}` };
  }
  if (!LOOPBACK.has(parsed.hostname))
    return { problem: `--${flag}: a local bundle listens on loopback only, got ${parsed.hostname}` };
  const port = Number(parsed.port);
  if (!Number.isInteger(port) || port <= 0) return { problem: `--${flag}: needs an explicit port, got ${url}` };
  return { port };
}

function portFlag(value: string | undefined, fallback: number, flag: string): number | string {
  if (value === undefined) return fallback;
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : `--${flag}: not a port: ${value}`;
}

export default trellisCommand({
  name: "init",
  description: "Write a movable local bundle: NATS operator and accounts, callout keys, creds, configs, admin session",
  args: {
    out: { type: "string", description: "Directory to write (must be empty unless --force)", required: true },
    force: { type: "boolean", description: "Replace a non-empty directory" },
    "operator-name": { type: "string", description: "Operator name (default Trellis)" },
    "system-account": { type: "string", description: "System account name (default SYS)" },
    "auth-account": { type: "string", description: "Callout account name (default AUTH)" },
    "trellis-account": { type: "string", description: "Account of services and clients (default TRELLIS)" },
    "server-name": { type: "string", description: "nats-server name (default trellis-local)" },
    "trellis-port": { type: "string", description: "Bootstrap endpoint port (default 3000)" },
    "monitor-port": { type: "string", description: "NATS monitoring port (default 8222)" },
    "public-origin": {
      type: "string",
      description: "Bootstrap URL clients use (default http://127.0.0.1:<trellis-port>)",
    },
    "nats-server-url": { type: "string", description: "NATS URL (default nats://127.0.0.1:4222)" },
    "nats-websocket-url": { type: "string", description: "NATS websocket URL (default ws://127.0.0.1:8080)" },
    websocket: {
      type: "boolean",
      description: "Enable the websocket listener (--no-websocket to disable)",
      default: true,
    },
    json: { type: "boolean", description: "Print the summary as JSON" },
  },
  run: async (args) => {
    const trellisPort = portFlag(args["trellis-port"], 3000, "trellis-port");
    const monitorPort = portFlag(args["monitor-port"], 8222, "monitor-port");
    if (typeof trellisPort === "string") return err(usageFailure(trellisPort));
    if (typeof monitorPort === "string") return err(usageFailure(monitorPort));
    const natsServerUrl = args["nats-server-url"] ?? "nats://127.0.0.1:4222";
    const nats = loopbackPort(natsServerUrl, "nats-server-url");
    if ("problem" in nats) return err(usageFailure(nats.problem));
    let websocketPort: number | undefined;
    let natsWebsocketUrl: string | undefined;
    if (args.websocket !== false) {
      natsWebsocketUrl = args["nats-websocket-url"] ?? "ws://127.0.0.1:8080";
      const ws = loopbackPort(natsWebsocketUrl, "nats-websocket-url");
      if ("problem" in ws) return err(usageFailure(ws.problem));
      websocketPort = ws.port;
    }
    const publicOrigin = args["public-origin"] ?? `http://127.0.0.1:${trellisPort}`;
    const written = await writeBundle({
      out: resolve(args.out),
      force: args.force === true,
      names: {
        operator: args["operator-name"] ?? "Trellis",
        system: args["system-account"] ?? "SYS",
        auth: args["auth-account"] ?? "AUTH",
        trellis: args["trellis-account"] ?? "TRELLIS",
      },
      network: {
        serverName: args["server-name"] ?? "trellis-local",
        natsPort: nats.port,
        monitorPort,
        websocketPort,
      },
      trellisPort,
      publicOrigin,
      natsServerUrl,
      natsWebsocketUrl,
    });
    if (written.isErr()) return err(usageFailure(written.error));
    const summary = written.value;
    if (args.json) writeJson(summary);
    else {
      writeResult(
        [
          `ok local bundle written out=${summary.out}`,
          `operator=${summary.operator}`,
          `nats=${summary.natsServerUrl} bootstrap=${summary.publicOrigin}`,
          `admin session key=${summary.adminSessionKey} (TRELLIS_CONFIG_DIR=${summary.out}/trellis)`,
          `next: (cd ${summary.out}/nats && nats-server -c nats.conf); trellis infra apply --config ${summary.out}/trellis/config.json; trellis server --config ${summary.out}/trellis/config.json`,
        ].join("\n"),
      );
    }
    return ok(ExitCode.ok);
  },
});
