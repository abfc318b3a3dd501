import { readFileSync } from "node:fs";
import { credsAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";

/** A connection as one of the control plane's own users (creds file: JWT + seed). */
export async function connectWithCreds(options: {
  servers: string[];
  credsPath: string;
  name: string;
  inboxPrefix?: string;
  reconnect?: boolean;
  timeoutMs?: number;
}): Promise<NatsConnection> {
  const creds = readFileSync(options.credsPath);
  return connect({
    servers: options.servers,
    authenticator: credsAuthenticator(new Uint8Array(creds)),
    name: options.name,
    maxReconnectAttempts: options.reconnect === false ? 0 : -1,
    timeout: options.timeoutMs ?? 5000,
    ...(options.inboxPrefix === undefined ? {} : { inboxPrefix: options.inboxPrefix }),
  });
}
