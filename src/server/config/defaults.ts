/** Defaults of every optional setting, in one place (design/control-plane.md lists them). */
export const CONFIG_DEFAULTS = {
  replicas: 1,
  sessionTtlSeconds: 24 * 3600,
  natsJwtTtlSeconds: 3600,
  /** auth.md §5: MUST be > 1, SHOULD be 65535. */
  operationResponseMax: 65535,
  operationResponseTtlSeconds: 3600,
  perHost: { ratePerSecond: 200, burst: 400 },
  perServer: { ratePerSecond: 2000, burst: 4000 },
  importsDir: "data/imports",
  jobs: {
    mode: "owner",
    /** Under the control plane's data directory, next to `importsDir`. */
    dbPath: "data/jobs.sqlite",
    janitorIntervalMs: 30_000,
    heartbeatPurgeIntervalMs: 600_000,
  },
} as const;
