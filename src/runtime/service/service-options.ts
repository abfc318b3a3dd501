import type { NatsConnection } from "@nats-io/nats-core";
import type { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import type { EventConsumerBinding } from "../events/consumer-config.ts";
import type { RuntimeContract } from "../facade/contract-shape.ts";
import type { Logger } from "../observability/logger.ts";
import type { RequestAuthenticator } from "../rpc/request-authenticator.ts";

/** What the control plane materialized for this deployment (bootstrap `binding`; runtime-wire.md §3, §6). */
export type ServiceBindings = {
  /** By consumer group name. */
  eventConsumers?: Readonly<Record<string, EventConsumerBinding>>;
};

/**
 * A service over an already-connected NATS connection. The connection must
 * use the session's `inboxPrefix`; the service owns it from here on (`stop()`
 * drains and closes it). Connecting through the auth callout builds these
 * same options from bootstrap (`connectInfo`, `binding`, `serverNow`).
 */
export type ServiceFromConnectionOptions<C extends RuntimeContract> = {
  nc: NatsConnection;
  contract: C;
  /** The service name: `<PascalCase(name)>.Health` is mounted when declared. */
  name: string;
  keys: SessionKeys;
  /** How requests are authenticated; default: `rpc.v1.Auth.Requests.Validate` over this connection. */
  authenticator?: RequestAuthenticator;
  clock?: ServerClock;
  logger?: Logger;
  /** Default timeout of downstream calls (ms); default 3000. */
  timeoutMs?: number;
  bindings?: ServiceBindings;
  /** The ServiceInstance id the heartbeat names; until bootstrap provides it, the session key. */
  instanceId?: string;
  /** The service's own version, reported in heartbeats. */
  version?: string;
  health?: { publishIntervalMs?: number; heartbeat?: boolean };
};
