import type { ArgsDef } from "citty";
import { err, ok, type Result } from "../../../contracts/index.ts";
import { connectWithCreds, loadServerConfig, type InfraConnections } from "../../../server/index.ts";
import { usageFailure, type CliFailure } from "../../app/cli-failure.ts";

export const INFRA_ARGS = {
  config: { type: "string", description: "Control-plane config (servers, creds, replicas); default TRELLIS_CONFIG" },
  servers: { type: "string", description: "NATS servers (comma-separated hosts, host:port or nats:// URLs)" },
  "trellis-creds": { type: "string", description: "Creds of the TRELLIS platform user (stream trellis)" },
  "auth-creds": { type: "string", description: "Creds of the AUTH user (auth state buckets)" },
  "jetstream-replicas": { type: "string", description: "Replicas of every stream and bucket (default 1)" },
  json: { type: "boolean", description: "Print the report as JSON" },
} as const satisfies ArgsDef;

type InfraArgs = { [K in keyof typeof INFRA_ARGS]?: K extends "json" ? boolean : string };

export type InfraTarget = {
  servers: string[];
  trellisCreds: string;
  authCreds: string;
  /** Undefined when nothing asked for a count (check then accepts any). */
  replicas: number | undefined;
};

/** Servers, creds and replicas from flags, then environment, then the config file (tooling.md §3.6). */
export function infraTarget(args: InfraArgs): Result<InfraTarget, CliFailure> {
  const configPath = args.config ?? process.env.TRELLIS_CONFIG;
  let fromConfig: { servers: string[]; trellisCreds: string; authCreds: string; replicas: number } | undefined;
  if (configPath !== undefined) {
    const loaded = loadServerConfig(configPath);
    if (loaded.isErr()) return err(usageFailure(loaded.error.message, loaded.error.issues[0]?.message));
    const config = loaded.value;
    fromConfig = {
      servers: config.nats.servers,
      trellisCreds: config.nats.trellisCreds,
      authCreds: config.nats.authCreds,
      replicas: config.replicas,
    };
  }
  const serverList = args.servers ?? process.env.TRELLIS_NATS_SERVERS ?? process.env.NATS_SERVERS;
  const servers =
    serverList !== undefined
      ? serverList
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "")
      : (fromConfig?.servers ?? ["localhost"]);
  const trellisCreds = args["trellis-creds"] ?? fromConfig?.trellisCreds;
  const authCreds = args["auth-creds"] ?? fromConfig?.authCreds;
  if (trellisCreds === undefined || authCreds === undefined) {
    return err(
      usageFailure("needs --trellis-creds and --auth-creds, or --config", "a local bundle has trellis/config.json"),
    );
  }
  const replicaText = args["jetstream-replicas"] ?? process.env.TRELLIS_JETSTREAM_REPLICAS;
  let replicas = fromConfig?.replicas;
  if (replicaText !== undefined) {
    const parsed = Number(replicaText);
    if (!/^[1-9][0-9]*$/.test(replicaText.trim()) || !Number.isSafeInteger(parsed)) {
      return err(usageFailure(`--jetstream-replicas must be a positive integer, got '${replicaText}'`));
    }
    replicas = parsed;
  }
  return ok({ servers, trellisCreds, authCreds, replicas });
}

/** One connection per account; a failure is kept as the reason everything of that account is `unavailable`. */
export async function connectInfra(target: InfraTarget): Promise<InfraConnections> {
  const open = async (credsPath: string, name: string) => {
    try {
      return await connectWithCreds({ servers: target.servers, credsPath, name, reconnect: false });
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
  const [auth, trellis] = await Promise.all([
    open(target.authCreds, "trellis infra (auth)"),
    open(target.trellisCreds, "trellis infra (trellis)"),
  ]);
  return { auth, trellis };
}

export async function closeInfra(connections: InfraConnections): Promise<void> {
  await Promise.allSettled(Object.values(connections).map((nc) => ("close" in nc ? nc.close() : undefined)));
}
