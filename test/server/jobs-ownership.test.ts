import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openJobsDb } from "../../src/server/jobs/jobs-db.ts";
import { OwnerLease } from "../../src/server/jobs/ownership.ts";
import { jobsEnvironment, resolveConfig } from "../../src/server/config/load-config.ts";
import type { ServerConfigFile } from "../../src/server/index.ts";

/** Exactly one owner per database (jobs.md §10), and where the database lives. */
const dir = mkdtempSync(join(tmpdir(), "trellis-jobs-lease-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("owner lease", () => {
  test("one holder among replicas sharing the file; the next takes over when it expires or is released", () => {
    const path = join(dir, "jobs.sqlite");
    const a = new OwnerLease(openJobsDb(path).orThrow(), "a", 1000);
    const b = new OwnerLease(openJobsDb(path).orThrow(), "b", 1000);
    expect(a.tryAcquire(10_000)).toBe(true);
    expect(b.tryAcquire(10_000)).toBe(false);
    // Renewal by the holder; the other still waits.
    expect(a.tryAcquire(10_500)).toBe(true);
    expect(b.tryAcquire(11_000)).toBe(false);
    // Not renewed: it runs out.
    expect(b.tryAcquire(11_501)).toBe(true);
    expect(a.tryAcquire(11_600)).toBe(false);
    b.release();
    expect(a.tryAcquire(11_700)).toBe(true);
    expect(a.holder()?.instanceId).toBe("a");
  });
});

describe("jobs settings", () => {
  const file = {
    format: "trellis.server-config.v1" as const,
    nats: { servers: ["x"], authCreds: "a", trellisCreds: "t", systemCreds: "s", sentinelCreds: "n" },
    clients: { natsServers: ["x"] },
    callout: { authAccount: "A", trellisAccount: "T", authSigningKey: "k", trellisSigningKey: "k", xkey: "x" },
  } satisfies ServerConfigFile;

  test("the database defaults to the control plane's data directory; the file and TRELLIS_JOBS_DB_PATH override", () => {
    expect(resolveConfig("/etc/trellis/config.json", file).jobs).toEqual({
      mode: "owner",
      dbPath: "/etc/trellis/data/jobs.sqlite",
      janitorIntervalMs: 30_000,
      heartbeatPurgeIntervalMs: 600_000,
    });
    expect(
      resolveConfig("/etc/trellis/config.json", { ...file, jobs: { dbPath: "/srv/j.sqlite", mode: "rpc-only" } }).jobs,
    ).toMatchObject({
      mode: "rpc-only",
      dbPath: "/srv/j.sqlite",
    });
    const env = jobsEnvironment({
      TRELLIS_JOBS_DB_PATH: "/var/lib/trellis/jobs.sqlite",
      TRELLIS_JOBS_JANITOR_INTERVAL_MS: "500",
    });
    expect(
      resolveConfig("/etc/trellis/config.json", { ...file, jobs: { dbPath: "other" } }, env.orThrow()).jobs,
    ).toMatchObject({
      dbPath: "/var/lib/trellis/jobs.sqlite",
      janitorIntervalMs: 500,
    });
  });

  test("a bad interval in the environment names the variable", () => {
    const bad = jobsEnvironment({ TRELLIS_JOBS_JANITOR_INTERVAL_MS: "soon" });
    expect(bad.isErr() && bad.error.issues[0]).toEqual({
      path: "TRELLIS_JOBS_JANITOR_INTERVAL_MS",
      message: "must be a positive integer (milliseconds), got 'soon'",
    });
  });
});
