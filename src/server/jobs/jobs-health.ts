import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { JOBS_STREAM } from "../../contracts/index.ts";
import type { LoopStatus } from "./durable-loop.ts";
import type { JobsDb } from "./jobs-db.ts";

export type JobsRole = "owner" | "standby" | "rpc-only";
type Check = {
  name: string;
  status: "ok" | "failed";
  latencyMs: number;
  error?: string;
  info?: Record<string, unknown>;
};
export type JobsHealthReport = {
  status: "healthy" | "degraded" | "unhealthy";
  service: string;
  timestamp: string;
  checks: Check[];
};

async function timed(name: string, probe: () => unknown): Promise<Check> {
  const started = performance.now();
  try {
    await probe();
    return { name, status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      name,
      status: "failed",
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * `Jobs.Health` (jobs.md §12): the database answers (else unhealthy: no
 * RPC can), `JOBS` is reachable and, on the owner, each loop runs (else
 * degraded: reads work, the projection may lag).
 */
export async function jobsHealth(deps: {
  db: JobsDb;
  nc: NatsConnection;
  role: JobsRole;
  loops: Record<string, LoopStatus>;
}): Promise<JobsHealthReport> {
  const sqlite = await timed("sqlite", () => deps.db.db.query("SELECT 1").get());
  sqlite.info = { role: deps.role, path: deps.db.path };
  const stream = await timed("jobs-stream", async () => (await jetstreamManager(deps.nc)).streams.info(JOBS_STREAM));
  const loops: Check[] = Object.entries(deps.loops).map(([name, status]) => ({
    name,
    status: status.running ? "ok" : "failed",
    latencyMs: 0,
    ...(status.running ? {} : { error: status.lastError ?? "not running" }),
  }));
  const checks = [sqlite, stream, ...loops];
  const status =
    sqlite.status === "failed"
      ? "unhealthy"
      : checks.some((check) => check.status === "failed")
        ? "degraded"
        : "healthy";
  return { status, service: "trellis.jobs", timestamp: new Date().toISOString(), checks };
}
