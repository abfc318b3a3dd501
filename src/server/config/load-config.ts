import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import * as v from "valibot";
import { err, ok, ValidationError, type Result } from "../../contracts/index.ts";
import { CONFIG_DEFAULTS } from "./defaults.ts";
import { ServerConfigSchema, type ServerConfigFile } from "./schema.ts";

type Rate = { ratePerSecond: number; burst: number };

export type JobsMode = "owner" | "rpc-only" | "off";
export type JobsSettings = {
  mode: JobsMode;
  dbPath: string;
  janitorIntervalMs: number;
  heartbeatPurgeIntervalMs: number;
};

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
  jobs: JobsSettings;
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
  const env = jobsEnvironment(process.env);
  if (env.isErr()) return err(env.error);
  return ok(resolveConfig(resolve(path), parsed.output, env.value));
}

/** The environment's overrides of the jobs settings (jobs.md §10), each checked by name. */
export function jobsEnvironment(
  env: Record<string, string | undefined>,
): Result<Partial<Pick<JobsSettings, "dbPath" | "janitorIntervalMs">>, ValidationError> {
  const out: Partial<Pick<JobsSettings, "dbPath" | "janitorIntervalMs">> = {};
  const dbPath = env.TRELLIS_JOBS_DB_PATH;
  if (dbPath !== undefined && dbPath !== "") out.dbPath = dbPath;
  const interval = env.TRELLIS_JOBS_JANITOR_INTERVAL_MS;
  if (interval !== undefined && interval !== "") {
    const value = Number(interval);
    if (!Number.isSafeInteger(value) || value < 1) {
      return err(
        new ValidationError([
          {
            path: "TRELLIS_JOBS_JANITOR_INTERVAL_MS",
            message: `must be a positive integer (milliseconds), got '${interval}'`,
          },
        ]),
      );
    }
    out.janitorIntervalMs = value;
  }
  return ok(out);
}

export function resolveConfig(
  path: string,
  file: ServerConfigFile,
  env: Partial<Pick<JobsSettings, "dbPath" | "janitorIntervalMs">> = {},
): ServerConfig {
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
    jobs: {
      mode: file.jobs?.mode ?? CONFIG_DEFAULTS.jobs.mode,
      // An environment path is the operator's, relative to where they are; the file's to the file.
      dbPath: env.dbPath !== undefined ? resolve(env.dbPath) : at(file.jobs?.dbPath ?? CONFIG_DEFAULTS.jobs.dbPath),
      janitorIntervalMs:
        env.janitorIntervalMs ?? file.jobs?.janitorIntervalMs ?? CONFIG_DEFAULTS.jobs.janitorIntervalMs,
      heartbeatPurgeIntervalMs: file.jobs?.heartbeatPurgeIntervalMs ?? CONFIG_DEFAULTS.jobs.heartbeatPurgeIntervalMs,
    },
  };
}
