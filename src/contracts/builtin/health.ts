import * as v from "valibot";
import { defineServiceContract } from "../authoring/define-contract.ts";
import { EventHeaderSchema } from "./shared-schemas.ts";

/** One check of a health report (runtime-wire.md §5). */
export const HealthCheckSchema = v.object({
  name: v.string(),
  status: v.picklist(["ok", "failed"]),
  error: v.optional(v.string()),
  summary: v.optional(v.string()),
  info: v.optional(v.record(v.string(), v.unknown())),
  latencyMs: v.number(),
});

export const HealthStatusSchema = v.picklist(["healthy", "unhealthy", "degraded"]);

/** Output of every `<Service>.Health` RPC. */
export const HealthReportSchema = v.object({
  status: HealthStatusSchema,
  service: v.string(),
  timestamp: v.string(),
  checks: v.array(HealthCheckSchema),
});

export const HeartbeatSchema = v.object({
  header: EventHeaderSchema,
  status: HealthStatusSchema,
  summary: v.optional(v.string()),
  checks: v.array(HealthCheckSchema),
  service: v.object({
    name: v.string(),
    kind: v.picklist(["service", "device"]),
    instanceId: v.string(),
    contractId: v.string(),
    contractDigest: v.string(),
    startedAt: v.string(),
    publishIntervalMs: v.pipe(v.number(), v.integer()),
    // A closed enum: Node.js and Bun both report "node".
    runtime: v.picklist(["node", "unknown"]),
    runtimeVersion: v.optional(v.string()),
    version: v.optional(v.string()),
    info: v.optional(v.record(v.string(), v.unknown())),
  }),
});

const defineHealthContract = () =>
  defineServiceContract({ schemas: { Heartbeat: HeartbeatSchema } }, (ref) => ({
    id: "trellis.health@v1",
    displayName: "Trellis health",
    description: "Heartbeats of every running service and device.",
    capabilities: {
      read: { displayName: "Read health", description: "Watch the heartbeats of every service and device." },
    },
    events: {
      "Health.Heartbeat": {
        version: "v1",
        event: ref.schema("Heartbeat"),
        capabilities: { subscribe: ["read"] },
      },
    },
  }));

export type HealthContract = ReturnType<typeof defineHealthContract>;
let healthContractModule: HealthContract | undefined;

/** `trellis.health@v1`: the heartbeat every service and device publishes (a baseline use). */
export function healthContract(): HealthContract {
  healthContractModule ??= defineHealthContract();
  return healthContractModule;
}
