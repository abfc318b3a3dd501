import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./free-port.ts";
import { NatsServerProcess } from "./nats-process.ts";

export type LocalNatsOptions = {
  binary: string;
  /** Config, logs and (with JetStream) the store live under this directory. */
  workDir: string;
  jetstream?: boolean;
  serverName?: string;
  extraConfig?: string;
};

const PORT_ATTEMPTS = 3;

/** Retries a start when a port picked by `freePort` was taken in the meantime. */
export async function withPortRetry<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const portTaken = error instanceof Error && /address already in use/i.test(error.message);
      if (!portTaken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/** A single nats-server on free loopback ports, JetStream on by default. */
export function startLocalNats(options: LocalNatsOptions): Promise<NatsServerProcess> {
  return withPortRetry(async () => {
    const serverName = options.serverName ?? "trellis-local";
    const storeDir = join(options.workDir, "jetstream");
    mkdirSync(options.workDir, { recursive: true });
    return NatsServerProcess.start(
      {
        serverName,
        port: await freePort(),
        monitorPort: await freePort(),
        ...(options.jetstream === false ? {} : { storeDir }),
        ...(options.extraConfig === undefined ? {} : { extraConfig: options.extraConfig }),
      },
      { binary: options.binary, workDir: options.workDir },
    );
  });
}

export type LocalCluster = {
  servers: NatsServerProcess[];
  /** Client URLs of every node, for a client that should fail over. */
  urls: string[];
  stop(): Promise<void>;
};

/** A JetStream cluster of `size` nodes (default 3) routed to each other on loopback. */
export function startLocalCluster(
  options: Omit<LocalNatsOptions, "jetstream"> & { size?: number },
): Promise<LocalCluster> {
  const size = options.size ?? 3;
  return withPortRetry(async () => {
    const clusterPorts: number[] = [];
    for (let i = 0; i < size; i++) clusterPorts.push(await freePort());
    const servers: NatsServerProcess[] = [];
    try {
      for (let i = 0; i < size; i++) {
        const serverName = `${options.serverName ?? "trellis"}-${i + 1}`;
        const nodeDir = join(options.workDir, serverName);
        mkdirSync(nodeDir, { recursive: true });
        servers.push(
          NatsServerProcess.spawn(
            {
              serverName,
              port: await freePort(),
              monitorPort: await freePort(),
              storeDir: join(nodeDir, "jetstream"),
              cluster: { name: "trellis", port: clusterPorts[i]!, routePorts: clusterPorts.filter((_, j) => j !== i) },
              ...(options.extraConfig === undefined ? {} : { extraConfig: options.extraConfig }),
            },
            { binary: options.binary, workDir: nodeDir },
          ),
        );
      }
      // Nodes become healthy only once they see each other, so all are spawned first.
      await Promise.all(servers.map((server) => server.waitReady()));
      await waitForMetaGroup(servers);
    } catch (error) {
      await Promise.all(servers.map((server) => server.stop()));
      throw error;
    }
    return {
      servers,
      urls: servers.map((server) => server.url),
      stop: async () => {
        await Promise.all(servers.map((server) => server.stop()));
      },
    };
  });
}

type MetaCluster = { leader?: string; replicas?: { name?: string; current: boolean }[] };

/**
 * Every node healthy does not yet mean every node is a current peer of the JetStream
 * meta group, and an R3 stream created before that fails with "no suitable peers for
 * placement". Waits until the leader reports all other nodes current.
 */
export async function waitForMetaGroup(servers: NatsServerProcess[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Map<string, string>(); // what each node last said, for the timeout message
  while (Date.now() < deadline) {
    for (const server of servers) {
      const meta = await fetch(`http://127.0.0.1:${server.config.monitorPort}/jsz`, {
        signal: AbortSignal.timeout(1000),
      })
        .then((response) => response.json() as Promise<{ meta_cluster?: MetaCluster }>)
        .then((jsz) => jsz.meta_cluster)
        .catch(() => undefined);
      const peers = meta?.replicas ?? [];
      seen.set(
        server.config.serverName,
        meta === undefined
          ? "no answer"
          : `leader ${meta.leader ?? "none"}, peers [${peers.map((p) => `${p.name ?? "?"}${p.current ? "" : " (not current)"}`).join(", ")}]`,
      );
      if (
        meta?.leader === server.config.serverName &&
        peers.length === servers.length - 1 &&
        peers.every((peer) => peer.current)
      ) {
        return;
      }
    }
    await sleep(50);
  }
  const last = [...seen].map(([name, state]) => `${name}: ${state}`).join("; ");
  throw new Error(
    `the JetStream meta group did not report ${servers.length} current peers within ${timeoutMs} ms (${last})`,
  );
}
