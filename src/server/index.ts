// Public surface of the control plane (`trellis server`), for the CLI and tests.
export { ControlPlane, type ControlPlaneOptions, type StartFailure } from "./control-plane.ts";
export { loadServerConfig, resolveConfig, type ServerConfig } from "./config/load-config.ts";
export { ServerConfigSchema, type ServerConfigFile } from "./config/schema.ts";
export { CONFIG_DEFAULTS } from "./config/defaults.ts";
export {
  BUCKETS,
  DENIAL_TTL_SECONDS,
  EVENTS_STREAM,
  INFRA_DEFINITIONS,
  PRESENCE_TTL_SECONDS,
  REPLAY_TTL_SECONDS,
  RESERVED_BUCKETS,
  type BucketDefinition,
  type InfraDefinition,
  type StreamDefinition,
} from "./infra/definitions.ts";
export {
  applyInfra,
  checkInfra,
  type ApplyStatus,
  type CheckStatus,
  type InfraConnections,
  type InfraReport,
} from "./infra/reconcile-infra.ts";
export { connectWithCreds } from "./nats/connect-with-creds.ts";
export { buildAdminImport, type AdminImport } from "./imports/admin-import.ts";
export { adminGroupCapabilities } from "./approvals/capability-groups.ts";
export { defaultUserId } from "./store/keys.ts";
