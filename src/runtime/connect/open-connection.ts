import { AuthorizationError, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { err, inboxPrefix, ok, type Result, type TransportError } from "../../contracts/index.ts";
import type { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import { calloutAuthenticator } from "./callout-authenticator.ts";
import { connectError } from "./connect-errors.ts";
import type { ConnectInfo } from "./bootstrap-schemas.ts";

export type NatsConnectSettings = {
  keys: SessionKeys;
  contractDigest: string;
  clock: ServerClock;
  /** The connection name servers show (`nats server report connections`). */
  name: string;
  /** One connect attempt (ms); default 5000. */
  timeoutMs?: number;
};

/**
 * The NATS connection of a session (auth.md §3, §5): the bootstrap's
 * servers, the sentinel plus a fresh connect token on every connect and
 * reconnect (`calloutAuthenticator`), and the session's inbox prefix.
 *
 * Reconnects never give up (`maxReconnectAttempts: -1`) and survive
 * authorization errors (`ignoreAuthErrorAbort`): while nats-server or the
 * control plane restarts, the callout may not answer, and nats.js would
 * otherwise abandon a connection after two such refusals in a row.
 */
export async function openNatsConnection(
  info: ConnectInfo,
  settings: NatsConnectSettings,
): Promise<Result<NatsConnection, TransportError>> {
  const servers = info.transports.native?.natsServers ?? [];
  if (servers.length === 0) return err(connectError("unreachable", { reason: "no_native_transport" }));
  try {
    const nc = await connect({
      servers,
      name: settings.name,
      authenticator: calloutAuthenticator({
        sentinel: info.transport.sentinel,
        keys: settings.keys,
        contractDigest: settings.contractDigest,
        clock: settings.clock,
      }),
      inboxPrefix: inboxPrefix(settings.keys.sessionKey),
      timeout: settings.timeoutMs ?? 5000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      ignoreAuthErrorAbort: true,
      // nats.js otherwise makes an Error per request to keep its call site for a possible timeout (~4% of an RPC's CPU).
      noAsyncTraces: true,
    });
    return ok(nc);
  } catch (cause) {
    const denied = isAuthorizationError(cause);
    return err(connectError(denied ? "denied" : "unreachable", { servers, causeMessage: messageOf(cause) }, cause));
  }
}

export function isAuthorizationError(error: unknown): boolean {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth++) {
    if (at instanceof AuthorizationError || /authorization violation/i.test(at.message)) return true;
  }
  return false;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
