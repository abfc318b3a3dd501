import type { NatsConnection } from "@nats-io/nats-core";
import type { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import type { KvBinding, StoreBinding } from "../connect/bootstrap-schemas.ts";
import type { SessionIdentity } from "../connect/session-identity.ts";
import type { EventConsumerBinding } from "../events/consumer-config.ts";
import type { JobQueueBinding } from "../jobs/job-binding.ts";
import type { OperationStateBinding } from "../operations/operation-binding.ts";
import type { RuntimeContract } from "../facade/contract-shape.ts";
import type { Logger } from "../observability/logger.ts";
import type { RequestAuthenticator } from "../rpc/request-authenticator.ts";

/** What the control plane materialized for this deployment (bootstrap `binding`; runtime-wire.md §3, §6). */
export type ServiceBindings = {
  /** By consumer group name. */
  eventConsumers?: Readonly<Record<string, EventConsumerBinding>>;
  /** By `resources.kv` alias: the bucket the control plane created (kv handles are a later step; kept as given). */
  kv?: Readonly<Record<string, KvBinding>>;
  /** By `resources.store` alias: the object store the control plane created (kept as given). */
  store?: Readonly<Record<string, StoreBinding>>;
  /** By job queue (jobs.md §2): a queue without a binding answers `trellis.jobs.unavailable`. */
  jobs?: Readonly<Record<string, JobQueueBinding>>;
  /** The operation-state bucket (operations.md §4): without it, operations are not served (`trellis.operations.unavailable`). */
  operations?: OperationStateBinding;
};

/** Job worker tuning (jobs.md §8-§9, §13); the defaults are the spec's. */
export type JobWorkerOptions = {
  /** How long `stop()` waits for interrupted job handlers before abandoning them (ms); default 30000. */
  shutdownGraceMs?: number;
  /** A pull's `expires` (ms, ≤ 30000); default 30000. */
  pullExpiresMs?: number;
  /** Worker heartbeats (ms); default 30000. */
  heartbeatIntervalMs?: number;
};

/** Operation serving tuning (operations.md §5.3); the defaults are the spec's. */
export type OperationOptions = {
  /** A keepalive after this much silence on a watch/wait (ms, spec window 5000-30000); default 15000. */
  keepaliveMs?: number;
  /** A watch/wait ends with `stream_expired` after this long (ms); default 110000 (the response TTL unknown). */
  streamLifetimeMs?: number;
  /** How long `stop()` waits for running operation handlers (ms); default 5000. Their state stays durable. */
  shutdownGraceMs?: number;
  /** The service's own client: silence before a stream is re-issued (ms); default 45000. */
  silenceMs?: number;
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
  jobs?: JobWorkerOptions;
  operations?: OperationOptions;
};

/**
 * `TrellisService.connect` (runtime-wire.md §7.1, auth.md §3): the session
 * key (`sessionKeySeed`, e.g. `TRELLIS_SESSION_KEY_SEED`; `sessionKeySeedFile`;
 * or `keys`), the bootstrap URL (`TRELLIS_URL`) and the contract, a source
 * module or a generated SDK's `sdk` object alike.
 */
export type ServiceConnectOptions<C extends RuntimeContract> = SessionIdentity & {
  trellisUrl: string;
  contract: C;
  name: string;
  logger?: Logger;
  /** Default timeout of downstream calls (ms); default 3000. */
  timeoutMs?: number;
  /** How long to keep retrying while the instance awaits provisioning or its digest approval (ms); default 60000. */
  approvalWaitMs?: number;
  /** One bootstrap request (ms); default 5000. */
  bootstrapTimeoutMs?: number;
  /**
   * Verify proofs and claim replay keys in the service itself, with callers
   * cached from Validate for at most 2 s (design/runtime.md "Request
   * authentication"); `false` asks Validate for every request. Default true.
   */
  fastAuthentication?: boolean;
  /** Normally omitted: a clock corrected from bootstrap's `serverNow` (auth.md §3). */
  clock?: ServerClock;
  instanceId?: string;
  version?: string;
  health?: { publishIntervalMs?: number; heartbeat?: boolean };
  jobs?: JobWorkerOptions;
  operations?: OperationOptions;
};
