// Public surface of the CLI module for code outside src/cli/ (the test
// harness and benchmarks reuse the local nats-server launcher).
export {
  findNatsServer,
  natsServerVersion,
  NATS_SERVER_MISSING_HINT,
  type NatsServerBinary,
} from "./local/find-nats-server.ts";
export { NatsServerProcess } from "./local/nats-process.ts";
export { startLocalNats, startLocalCluster, type LocalCluster, type LocalNatsOptions } from "./local/local-nats.ts";
export type { NatsServerConfig } from "./local/nats-config.ts";
export { readContractFile, type LoadedContract } from "./contract-files/read-contract-file.ts";
export { summarizeContract, type ContractSummary } from "./inspect/contract-summary.ts";
export { derivePermissions, type DerivedPermissions } from "./inspect/derive-permissions.ts";
export { renderSummary } from "./inspect/render-summary.ts";
