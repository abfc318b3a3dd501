import * as v from "valibot";

const positiveInt = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const nonEmpty = v.pipe(v.string(), v.minLength(1));
const rate = v.object({ ratePerSecond: positiveInt, burst: positiveInt });

/**
 * The control plane's configuration file (`trellis/config.json` in a local
 * bundle). Paths are relative to the file's own directory, so a bundle can be
 * moved as a whole. Only public keys and paths live here; seeds stay in their
 * own 0600 files.
 */
export const ServerConfigSchema = v.object({
  format: v.literal("trellis.server-config.v1"),
  nats: v.object({
    /** Where the control plane itself connects. */
    servers: v.pipe(v.array(nonEmpty), v.minLength(1)),
    /** User in AUTH listed in `auth_users`: the callout responder; also reads and writes the auth state. */
    authCreds: nonEmpty,
    /** Platform user in TRELLIS: serves trellis.auth@v1, publishes Auth events, reconciles service resources. */
    trellisCreds: nonEmpty,
    /** User in SYS: kicks connections on revocation. */
    systemCreds: nonEmpty,
    /** The AUTH user denied everything that routes clients into the callout; bootstrap hands it out. */
    sentinelCreds: nonEmpty,
  }),
  /** What clients are told to connect to (bootstrap `transports`). */
  clients: v.object({
    natsServers: v.pipe(v.array(nonEmpty), v.minLength(1)),
    websocketServers: v.optional(v.array(nonEmpty)),
  }),
  callout: v.object({
    /** Public keys ("A…") of the AUTH and TRELLIS accounts. */
    authAccount: nonEmpty,
    trellisAccount: nonEmpty,
    /** Seed files ("SA…", "SX…"). */
    authSigningKey: nonEmpty,
    trellisSigningKey: nonEmpty,
    xkey: nonEmpty,
  }),
  /** The bootstrap endpoint (auth.md §3); absent = no HTTP listener. */
  http: v.optional(v.object({ listen: nonEmpty, publicOrigin: v.optional(nonEmpty) })),
  jetstream: v.optional(v.object({ replicas: v.optional(positiveInt) })),
  sessions: v.optional(v.object({ ttlSeconds: v.optional(positiveInt) })),
  /** Lifetime of minted user JWTs; clients reconnect with a fresh token when it ends. */
  natsJwt: v.optional(v.object({ ttlSeconds: v.optional(positiveInt) })),
  /** `resp` of service JWTs: how many frames and how long a service may answer one request (auth.md §5, §7). */
  operationResponse: v.optional(
    v.object({ max: v.optional(v.pipe(positiveInt, v.minValue(2))), ttlSeconds: v.optional(positiveInt) }),
  ),
  /** Callout admission control (auth.md §5 step 2): token buckets per client IP and per NATS server. */
  admission: v.optional(v.object({ perHost: v.optional(rate), perServer: v.optional(rate) })),
  /**
   * The jobs admin runtime (jobs.md §10, design/jobs-admin.md): `owner` runs the loops while it holds the
   * database's lease, `rpc-only` only serves `trellis.jobs@v1`, `off` neither. `TRELLIS_JOBS_DB_PATH` and
   * `TRELLIS_JOBS_JANITOR_INTERVAL_MS` override the file; `trellis server --jobs` overrides `mode`.
   */
  jobs: v.optional(
    v.object({
      mode: v.optional(v.picklist(["owner", "rpc-only", "off"])),
      dbPath: v.optional(nonEmpty),
      janitorIntervalMs: v.optional(positiveInt),
      heartbeatPurgeIntervalMs: v.optional(positiveInt),
    }),
  ),
  /** Records to import (create-if-absent) at start: where `trellis init admin` leaves the first operator. */
  importsDir: v.optional(nonEmpty),
});

export type ServerConfigFile = v.InferOutput<typeof ServerConfigSchema>;
