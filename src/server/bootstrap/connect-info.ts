import { inboxPrefix } from "../../contracts/index.ts";
import { IAT_SKEW_SECONDS, type SentinelCredentials } from "../../runtime/index.ts";
import type { ResourceBinding } from "../store/records.ts";

/** `ConnectInfo` of auth.md §3. */
export type ConnectInfo = {
  sessionKey: string;
  contractId: string;
  contractDigest: string;
  transports: { native?: { natsServers: string[] }; websocket?: { natsServers: string[] } };
  transport: { inboxPrefix: string; sentinel: SentinelCredentials };
  auth?: { mode: "service_identity"; iatSkewSeconds: number };
};

export type Transports = { natsServers: string[]; websocketServers: string[] };

export function connectInfo(input: {
  sessionKey: string;
  contractId: string;
  contractDigest: string;
  transports: Transports;
  sentinel: SentinelCredentials;
  service: boolean;
}): ConnectInfo {
  return {
    sessionKey: input.sessionKey,
    contractId: input.contractId,
    contractDigest: input.contractDigest,
    transports: {
      native: { natsServers: input.transports.natsServers },
      ...(input.transports.websocketServers.length === 0
        ? {}
        : { websocket: { natsServers: input.transports.websocketServers } }),
    },
    transport: { inboxPrefix: inboxPrefix(input.sessionKey), sentinel: input.sentinel },
    ...(input.service ? { auth: { mode: "service_identity" as const, iatSkewSeconds: IAT_SKEW_SECONDS } } : {}),
  };
}

/** A service's materialized resources, by kind and contract name, as the runtime binds them. */
export function serviceBinding(bindings: readonly ResourceBinding[]) {
  const group = (kind: ResourceBinding["kind"]) =>
    Object.fromEntries(bindings.filter((b) => b.kind === kind).map((b) => [b.name, b.binding]));
  const operations = bindings.find((b) => b.kind === "operationState")?.binding;
  return {
    eventConsumers: group("eventConsumer"),
    kv: group("kv"),
    store: group("store"),
    jobs: group("job"),
    ...(operations === undefined ? {} : { operations }),
  };
}
