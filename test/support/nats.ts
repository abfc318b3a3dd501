import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
// The launcher's own files rather than src/cli/index.ts: this harness also runs on Node.js
// (the runtime suite), where the rest of the CLI (Bun-only) must not be loaded.
import { findNatsServer, NATS_SERVER_MISSING_HINT } from "../../src/cli/local/find-nats-server.ts";
import { startLocalCluster, startLocalNats, type LocalCluster } from "../../src/cli/local/local-nats.ts";
import type { NatsServerProcess } from "../../src/cli/local/nats-process.ts";

/** The nats-server binary every test uses; fails loudly rather than skipping. */
export function natsBinary(): string {
  const found = findNatsServer(dirname(fileURLToPath(import.meta.url)));
  if (found === undefined) throw new Error(NATS_SERVER_MISSING_HINT);
  return found.path;
}

export type TestNats = {
  url: string;
  server: NatsServerProcess;
  workDir: string;
  /** Stops the server and deletes its temporary directory; safe to call twice. */
  stop(): Promise<void>;
};

export type TestCluster = LocalCluster & { workDir: string };

export type TestNatsOptions = { jetstream?: boolean; extraConfig?: string };

function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `trellis-${label}-`));
}

/** A real nats-server (JetStream on unless disabled) on a free loopback port. */
export async function startNats(options: TestNatsOptions = {}): Promise<TestNats> {
  const workDir = tempDir("nats");
  try {
    const server = await startLocalNats({ binary: natsBinary(), workDir, ...options });
    return {
      url: server.url,
      server,
      workDir,
      stop: async () => {
        await server.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** Three nats-servers with JetStream, routed into one cluster on loopback. */
export async function startCluster(options: { extraConfig?: string } = {}): Promise<TestCluster> {
  const workDir = tempDir("cluster");
  try {
    const cluster = await startLocalCluster({ binary: natsBinary(), workDir, ...options });
    return {
      ...cluster,
      workDir,
      stop: async () => {
        await cluster.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}
