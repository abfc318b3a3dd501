import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import * as v from "valibot";
import { err, ok, ValidationError, type Result } from "../../contracts/index.ts";
import { CONFIG_DEFAULTS } from "./defaults.ts";
import { ServerConfigSchema, type ServerConfigFile } from "./schema.ts";

type Rate = { ratePerSecond: number; burst: number };

/** A configuration with every path absolute and every default applied. */
export type ServerConfig = {
  path: string;
  nats: { servers: string[]; authCreds: string; trellisCreds: string; systemCreds: string; sentinelCreds: string };
  clients: { natsServers: string[]; websocketServers: string[] };
  callout: {
    authAccount: string;
    trellisAccount: string;
    authSigningKey: string;
    trellisSigningKey: string;
    xkey: string;
  };
  http: { listen: string; publicOrigin: string } | undefined;
  replicas: number;
  sessionTtlSeconds: number;
  natsJwtTtlSeconds: number;
  operationResponse: { max: number; ttlSeconds: number };
  admission: { perHost: Rate; perServer: Rate };
  importsDir: string;
};

/** Reads and validates a config file; relative paths are taken from the file's directory. */
export function loadServerConfig(path: string): Result<ServerConfig, ValidationError> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return err(new ValidationError([{ path: "", message: `cannot read ${path}: ${reason}` }]));
  }
  const parsed = v.safeParse(ServerConfigSchema, raw);
  if (!parsed.success) {
    return err(
      new ValidationError(
        parsed.issues.map((issue) => ({
          path: `/${(issue.path ?? []).map((item) => String(item.key)).join("/")}`,
          message: issue.message,
        })),
        { message: `invalid control-plane config ${path}` },
      ),
    );
  }
  return ok(resolveConfig(resolve(path), parsed.output));
}

export function resolveConfig(path: string, file: ServerConfigFile): ServerConfig {
  const base = dirname(path);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const listen = file.http?.listen;
  return {
    path,
    nats: {
      servers: file.nats.servers,
      authCreds: at(file.nats.authCreds),
      trellisCreds: at(file.nats.trellisCreds),
      systemCreds: at(file.nats.systemCreds),
      sentinelCreds: at(file.nats.sentinelCreds),
    },
    clients: { natsServers: file.clients.natsServers, websocketServers: file.clients.websocketServers ?? [] },
    callout: {
      authAccount: file.callout.authAccount,
      trellisAccount: file.callout.trellisAccount,
      authSigningKey: at(file.callout.authSigningKey),
      trellisSigningKey: at(file.callout.trellisSigningKey),
      xkey: at(file.callout.xkey),
    },
    http: listen === undefined ? undefined : { listen, publicOrigin: file.http?.publicOrigin ?? `http://${listen}` },
    replicas: file.jetstream?.replicas ?? CONFIG_DEFAULTS.replicas,
    sessionTtlSeconds: file.sessions?.ttlSeconds ?? CONFIG_DEFAULTS.sessionTtlSeconds,
    natsJwtTtlSeconds: file.natsJwt?.ttlSeconds ?? CONFIG_DEFAULTS.natsJwtTtlSeconds,
    operationResponse: {
      max: file.operationResponse?.max ?? CONFIG_DEFAULTS.operationResponseMax,
      ttlSeconds: file.operationResponse?.ttlSeconds ?? CONFIG_DEFAULTS.operationResponseTtlSeconds,
    },
    admission: {
      perHost: file.admission?.perHost ?? CONFIG_DEFAULTS.perHost,
      perServer: file.admission?.perServer ?? CONFIG_DEFAULTS.perServer,
    },
    importsDir: at(file.importsDir ?? CONFIG_DEFAULTS.importsDir),
  };
}
