/** What one local nats-server process is configured with. Loopback only. */
export type NatsServerConfig = {
  serverName: string;
  port: number;
  monitorPort: number;
  /** Enables JetStream with file storage in this directory. */
  storeDir?: string;
  cluster?: { name: string; port: number; routePorts: number[] };
  /** Appended verbatim: accounts, authorization, auth callout. */
  extraConfig?: string;
  logFile?: string;
};

const quote = (text: string) => JSON.stringify(text);

/** Renders a nats-server configuration file. */
export function renderNatsConfig(config: NatsServerConfig): string {
  const lines = [
    `server_name: ${quote(config.serverName)}`,
    `listen: "127.0.0.1:${config.port}"`,
    `http: "127.0.0.1:${config.monitorPort}"`,
  ];
  if (config.logFile !== undefined) lines.push(`log_file: ${quote(config.logFile)}`);
  if (config.storeDir !== undefined) {
    lines.push(
      `jetstream {`,
      `  store_dir: ${quote(config.storeDir)}`,
      `  max_memory_store: 256MB`,
      `  max_file_store: 2GB`,
      `}`,
    );
  }
  if (config.cluster !== undefined) {
    const routes = config.cluster.routePorts.map((port) => `    "nats-route://127.0.0.1:${port}"`);
    lines.push(
      `cluster {`,
      `  name: ${quote(config.cluster.name)}`,
      `  listen: "127.0.0.1:${config.cluster.port}"`,
      `  routes: [`,
      ...routes,
      `  ]`,
      `}`,
    );
  }
  if (config.extraConfig !== undefined) lines.push(config.extraConfig);
  return `${lines.join("\n")}\n`;
}
