import { jetstreamManager, JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { INFRA_DEFINITIONS, type InfraAccount, type InfraDefinition } from "./definitions.ts";
import { compareStream, desiredStream, toStreamConfig, type Drift } from "./stream-config.ts";

export type ApplyStatus = "created" | "updated" | "exists" | "drifted" | "unavailable";
export type CheckStatus = "ready" | "missing" | "drifted" | "unavailable";

export type InfraReport<S extends string> = {
  kind: InfraDefinition["kind"];
  account: InfraAccount;
  name: string;
  stream: string;
  status: S;
  drift: Drift[];
  error?: string;
};

/** A connection per account, or why there is none (reported as `unavailable`). */
export type InfraConnections = Record<InfraAccount, NatsConnection | { error: string }>;

const isNotFound = (error: unknown) =>
  error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function managers(connections: InfraConnections): Promise<Record<InfraAccount, JetStreamManager | string>> {
  const out = {} as Record<InfraAccount, JetStreamManager | string>;
  for (const account of ["auth", "trellis"] as const) {
    const nc = connections[account];
    if ("error" in nc) {
      out[account] = nc.error;
      continue;
    }
    try {
      // checkAPI asks $JS.API.INFO once, which tells "JetStream is off for this account" apart early.
      out[account] = await jetstreamManager(nc, { checkAPI: true, timeout: 5000 });
    } catch (error) {
      out[account] = message(error);
    }
  }
  return out;
}

/** Creates what is missing, fixes what can be fixed in place, and reports the rest as drifted. */
export async function applyInfra(
  connections: InfraConnections,
  options: { replicas: number },
): Promise<InfraReport<ApplyStatus>[]> {
  const jsms = await managers(connections);
  const reports: InfraReport<ApplyStatus>[] = [];
  for (const definition of INFRA_DEFINITIONS) {
    const desired = desiredStream(definition, options.replicas);
    const base = { kind: definition.kind, account: definition.account, name: definition.name, stream: desired.name };
    const jsm = jsms[definition.account];
    if (typeof jsm === "string") {
      reports.push({ ...base, status: "unavailable", drift: [], error: jsm });
      continue;
    }
    try {
      const info = await jsm.streams.info(desired.name).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (info === undefined) {
        await jsm.streams.add(toStreamConfig(desired));
        reports.push({ ...base, status: "created", drift: [] });
        continue;
      }
      const drift = compareStream(desired, info.config);
      if (drift.length === 0) reports.push({ ...base, status: "exists", drift });
      else if (drift.some((d) => !d.fixable)) reports.push({ ...base, status: "drifted", drift });
      else {
        await jsm.streams.update(desired.name, { ...info.config, ...toStreamConfig(desired) });
        reports.push({ ...base, status: "updated", drift });
      }
    } catch (error) {
      reports.push({ ...base, status: "unavailable", drift: [], error: message(error) });
    }
  }
  return reports;
}

/** Reports every definition as ready, missing, drifted or unavailable; changes nothing. */
export async function checkInfra(
  connections: InfraConnections,
  options: { replicas?: number },
): Promise<InfraReport<CheckStatus>[]> {
  const jsms = await managers(connections);
  const reports: InfraReport<CheckStatus>[] = [];
  for (const definition of INFRA_DEFINITIONS) {
    const desired = desiredStream(definition, options.replicas);
    const base = { kind: definition.kind, account: definition.account, name: definition.name, stream: desired.name };
    const jsm = jsms[definition.account];
    if (typeof jsm === "string") {
      reports.push({ ...base, status: "unavailable", drift: [], error: jsm });
      continue;
    }
    try {
      const info = await jsm.streams.info(desired.name);
      const drift = compareStream(desired, info.config);
      reports.push({ ...base, status: drift.length === 0 ? "ready" : "drifted", drift });
    } catch (error) {
      if (isNotFound(error)) reports.push({ ...base, status: "missing", drift: [] });
      else reports.push({ ...base, status: "unavailable", drift: [], error: message(error) });
    }
  }
  return reports;
}
