import type { NatsConnection } from "@nats-io/nats-core";
import { AsyncResult, err, ok, type Result, type TransportError, type ValidationError } from "../../contracts/index.ts";
import { openClientSession } from "../connect/connect-session.ts";
import type { SessionIdentity, SessionIdentityFields } from "../connect/session-identity.ts";
import type { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import { clientFacade, clientSurfaces, type ClientFacade } from "../facade/client-facade.ts";
import type { RuntimeContract, TrellisApi } from "../facade/contract-shape.ts";
import type { StateFacade } from "../facade/resource-facade.ts";
import { stateFacade } from "../state/state-client.ts";
import { checkConnection } from "../lifecycle/connection-check.ts";
import { ConnectionMonitor, type ConnectionStatus, type StatusListener } from "../observability/connection-status.ts";
import { createLogger, type Logger } from "../observability/logger.ts";
import { loadTelemetry } from "../observability/telemetry.ts";
import { ClientRuntime } from "./client-runtime.ts";
import type { PublishError } from "../events/event-publisher.ts";
import type { PreparedEvent, PublishedEvent } from "../events/event-types.ts";

/**
 * A client over an already-connected NATS connection that uses the session's
 * `inboxPrefix`; the client owns it (`stop()` drains it). Connecting through
 * the auth callout will build the same options from bootstrap.
 */
export type ClientFromConnectionOptions<C extends RuntimeContract> = {
  nc: NatsConnection;
  contract: C;
  keys: SessionKeys;
  clock?: ServerClock;
  /** Default call timeout (ms); default 3000. */
  timeoutMs?: number;
  /** operations.md §5.3: silence (ms) before an operation stream is re-issued; default 45000. */
  operationSilenceMs?: number;
  logger?: Logger;
};

/**
 * `TrellisClient.connect` (auth.md §3): an app or agent session whose key an
 * operator approved for this contract's digest (`trellis sessions approve`).
 */
export type ClientConnectOptions<C extends RuntimeContract> = SessionIdentity & {
  trellisUrl: string;
  contract: C;
  /** Default call timeout (ms); default 3000. */
  timeoutMs?: number;
  /** How long to keep retrying while the session awaits approval or Trellis is unreachable (ms); default 0. */
  approvalWaitMs?: number;
  bootstrapTimeoutMs?: number;
  /** Normally omitted: a clock corrected from bootstrap's `serverNow` (auth.md §3). */
  clock?: ServerClock;
  logger?: Logger;
};

/**
 * Typed calls over a contract's `API.trellis` (tooling.md §2.1 `<Name>Client`):
 * `rpc.<g>.<l>(input)`, `operation.<g>.<l>`, `event.<g>.<l>.publish|prepare|listen`,
 * `feed.<g>.<l>(input)`, and `state.<store>` for the contract's state
 * stores (runtime-wire.md §6, served by `trellis.state@v1`).
 */
export class TrellisClient<C extends RuntimeContract> {
  readonly rpc: ClientFacade<TrellisApi<C>>["rpc"];
  /** `start`, `input(i).start()` and `resume(id)` of the operations `API.trellis` has (operations.md §1). */
  readonly operation: ClientFacade<TrellisApi<C>>["operation"];
  readonly event: ClientFacade<TrellisApi<C>>["event"];
  readonly feed: ClientFacade<TrellisApi<C>>["feed"];
  readonly state: StateFacade<C>;
  readonly #nc: NatsConnection;
  readonly #runtime: ClientRuntime;
  readonly #monitor: ConnectionMonitor;
  #stopping: Promise<void> | undefined;

  private constructor(
    nc: NatsConnection,
    runtime: ClientRuntime,
    facade: ClientFacade<TrellisApi<C>>,
    state: StateFacade<C>,
    monitor: ConnectionMonitor,
  ) {
    this.#nc = nc;
    this.#runtime = runtime;
    this.#monitor = monitor;
    this.rpc = facade.rpc;
    this.operation = facade.operation;
    this.event = facade.event;
    this.feed = facade.feed;
    this.state = state;
  }

  /**
   * Bootstraps (`POST /bootstrap/client`), connects through the auth callout
   * with a fresh token on every connect and reconnect, then `fromConnection`.
   */
  static connect<C extends RuntimeContract>(
    options: ClientConnectOptions<C>,
  ): AsyncResult<TrellisClient<C>, TransportError | ValidationError> {
    return new AsyncResult(
      (async (): Promise<Result<TrellisClient<C>, TransportError | ValidationError>> => {
        const logger = options.logger ?? createLogger();
        const { contract } = options;
        const identity: SessionIdentityFields = options;
        const session = await openClientSession(
          {
            keys: identity.keys,
            sessionKeySeed: identity.sessionKeySeed,
            sessionKeySeedFile: identity.sessionKeySeedFile,
            trellisUrl: options.trellisUrl,
            waitMs: options.approvalWaitMs ?? 0,
            ...(options.bootstrapTimeoutMs === undefined ? {} : { bootstrapTimeoutMs: options.bootstrapTimeoutMs }),
            connectionName: contract.CONTRACT_ID,
            ...(options.clock === undefined ? {} : { clock: options.clock }),
            logger: logger.child({ contractId: contract.CONTRACT_ID }),
          },
          { contractId: contract.CONTRACT_ID, contractDigest: contract.CONTRACT_DIGEST, manifest: contract.CONTRACT },
        );
        if (session.isErr()) return err(session.error);
        const { nc, keys, clock } = session.value;
        const client = await TrellisClient.#create({
          nc,
          contract,
          keys,
          clock,
          logger,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        });
        if (client.isErr()) await nc.close().catch(() => undefined);
        return client;
      })(),
    );
  }

  static fromConnection<C extends RuntimeContract>(
    options: ClientFromConnectionOptions<C>,
  ): AsyncResult<TrellisClient<C>, ValidationError> {
    return new AsyncResult(TrellisClient.#create(options));
  }

  static async #create<C extends RuntimeContract>(
    options: ClientFromConnectionOptions<C>,
  ): Promise<Result<TrellisClient<C>, ValidationError>> {
    const { nc, contract, keys } = options;
    const usable = checkConnection(nc, keys.sessionKey);
    if (usable.isErr()) return err(usable.error);
    const telemetry = await loadTelemetry();
    const logger = (options.logger ?? createLogger()).child({ contractId: contract.CONTRACT_ID });
    const runtime = new ClientRuntime(nc, {
      keys,
      clock: options.clock,
      timeoutMs: options.timeoutMs,
      logger,
      telemetry,
      operationSilenceMs: options.operationSilenceMs,
    });
    const facade = clientFacade<TrellisApi<C>>(runtime, clientSurfaces(contract.API.trellis));
    const state = stateFacade(runtime.rpc, contract) as StateFacade<C>;
    return ok(new TrellisClient<C>(nc, runtime, facade, state, new ConnectionMonitor(nc, logger)));
  }

  /** Republishes a prepared event unchanged (an outbox relay); the stream drops an id it has seen. */
  publishPrepared(prepared: PreparedEvent): AsyncResult<PublishedEvent, PublishError> {
    return this.#runtime.events.publishPrepared(prepared);
  }

  statuses(): AsyncIterable<ConnectionStatus> {
    return this.#monitor.statuses();
  }

  onStatus(listener: StatusListener): () => void {
    return this.#monitor.on(listener);
  }

  /** Resolves when the connection closes. */
  async wait(): Promise<void> {
    await this.#nc.closed();
  }

  /** Idempotent: stops listeners (their running handlers finish), then drains and closes the connection. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#runtime.drain();
      if (!this.#nc.isClosed()) await this.#nc.drain().catch(() => this.#nc.close());
    })();
    return this.#stopping;
  }
}
