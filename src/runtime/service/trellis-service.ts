import {
  AsyncResult,
  err,
  ok,
  ValidationError,
  type Result,
  type TransportError,
  type UnexpectedError,
} from "../../contracts/index.ts";
import { inboxPrefix } from "../../contracts/index.ts";
import { ClientRuntime } from "../client/client-runtime.ts";
import { clientSurfaces } from "../facade/client-facade.ts";
import type { RuntimeContract } from "../facade/contract-shape.ts";
import { FeedServer } from "../feeds/feed-server.ts";
import { OperationServer } from "../operations/operation-server.ts";
import { HealthRegistry } from "../health/health-checks.ts";
import { declaredHealthRpc, healthHandler } from "../health/health-rpc.ts";
import { DEFAULT_HEARTBEAT_INTERVAL_MS, Heartbeat } from "../health/heartbeat.ts";
import { natsCheck } from "../health/nats-check.ts";
import { checkConnection } from "../lifecycle/connection-check.ts";
import { ConnectionMonitor, type ConnectionStatus, type StatusListener } from "../observability/connection-status.ts";
import { createLogger } from "../observability/logger.ts";
import { loadTelemetry } from "../observability/telemetry.ts";
import { FastPathAuthenticator, type FastPathState } from "../rpc/fast-path-authenticator.ts";
import { ValidateRpcAuthenticator, type RequestAuthenticator } from "../rpc/request-authenticator.ts";
import { bindResources } from "../resources/bind-resources.ts";
import { RpcServer } from "../rpc/rpc-server.ts";
import { newRequestId } from "../wire/request-id.ts";
import { connectServiceParts } from "./connect-service.ts";
import { ServiceHandle } from "./service-handle.ts";
import type { ServiceConnectOptions, ServiceFromConnectionOptions } from "./service-options.ts";
import { ServiceRuntime } from "./service-runtime.ts";

export type ServiceState = "running" | "stopping" | "closed";

/** Lifecycle publishes and direct gets of job workers wait this long unless `timeoutMs` says otherwise. */
const DEFAULT_JOB_TIMEOUT_MS = 3000;

/** `service.requestAuthentication`: the fast path with its counts, or another authenticator (Validate per request). */
export type RequestAuthenticationInfo =
  { mode: "fast-path"; state: FastPathState; fast: number; validated: number } | { mode: "validate" | "custom" };

/**
 * A running service (runtime-wire.md §7): register handlers at startup,
 * `wait()` until the connection closes, `stop()` to drain. The runtime
 * installs no signal handlers; entrypoints call `stop()` on SIGTERM/SIGINT.
 */
export class TrellisService<C extends RuntimeContract> extends ServiceHandle<C, undefined> {
  readonly #heartbeat: Heartbeat | undefined;
  readonly #monitor: ConnectionMonitor;
  readonly #authenticator: RequestAuthenticator;
  #state: ServiceState = "running";
  #stopping: Promise<void> | undefined;

  private constructor(
    runtime: ServiceRuntime,
    heartbeat: Heartbeat | undefined,
    monitor: ConnectionMonitor,
    authenticator: RequestAuthenticator,
  ) {
    super(runtime, undefined);
    this.#authenticator = authenticator;
    this.#heartbeat = heartbeat;
    this.#monitor = monitor;
  }

  /**
   * Connects through Trellis (runtime-wire.md §7.1): bootstrap until the
   * instance is admitted (bounded by `approvalWaitMs`), NATS through the auth
   * callout with a fresh token on every connect and reconnect, request
   * authentication on the fast path, then exactly `fromConnection` with the
   * bootstrap's bindings. On failure nothing is left open.
   */
  static connect<C extends RuntimeContract>(
    options: ServiceConnectOptions<C>,
  ): AsyncResult<TrellisService<C>, TransportError | ValidationError | UnexpectedError> {
    return new AsyncResult(
      (async (): Promise<Result<TrellisService<C>, TransportError | ValidationError | UnexpectedError>> => {
        const parts = await connectServiceParts(options);
        if (parts.isErr()) return err(parts.error);
        const created = await TrellisService.#create(parts.value.fromConnection);
        if (created.isErr()) {
          await parts.value.fromConnection.nc.close().catch(() => undefined);
          return err(created.error);
        }
        parts.value.started(created.value);
        return ok(created.value);
      })(),
    );
  }

  /**
   * A service over a connection opened with the session's `inboxPrefix`
   * (connecting through the auth callout will produce the same options).
   * Mounts `<Service>.Health` if declared and publishes the first heartbeat.
   */
  static fromConnection<C extends RuntimeContract>(
    options: ServiceFromConnectionOptions<C>,
  ): AsyncResult<TrellisService<C>, ValidationError | UnexpectedError> {
    return new AsyncResult(TrellisService.#create(options));
  }

  static async #create<C extends RuntimeContract>(
    options: ServiceFromConnectionOptions<C>,
  ): Promise<Result<TrellisService<C>, ValidationError | UnexpectedError>> {
    const { nc, contract, name, keys } = options;
    if (contract.CONTRACT.kind !== "service") {
      return err(
        new ValidationError([
          { path: "/contract/kind", message: `a service needs a service contract, got '${contract.CONTRACT.kind}'` },
        ]),
      );
    }
    if (name.trim() === "") return err(new ValidationError([{ path: "/name", message: "must not be empty" }]));
    const usable = checkConnection(nc, keys.sessionKey);
    if (usable.isErr()) return err(usable.error);

    const telemetry = await loadTelemetry();
    const logger = (options.logger ?? createLogger()).child({ service: name, contractId: contract.CONTRACT_ID });
    const bindings = options.bindings ?? {};
    // Before anything is mounted: a required resource that is not materialized fails the start.
    const resources = await bindResources(nc, contract, bindings, logger);
    if (resources.isErr()) return err(resources.error);
    const client = new ClientRuntime(nc, {
      keys,
      clock: options.clock,
      timeoutMs: options.timeoutMs,
      logger,
      telemetry,
      operationSilenceMs: options.operations?.silenceMs,
    });
    const identity = { contractId: contract.CONTRACT_ID, contractDigest: contract.CONTRACT_DIGEST, serviceName: name };
    const authenticator = options.authenticator ?? new ValidateRpcAuthenticator(client.rpc);
    const rpcServer = new RpcServer(nc, { ...identity, authenticator, logger, telemetry });
    const feedServer = new FeedServer(nc, {
      ...identity,
      authenticator,
      logger,
      telemetry,
      inboxPrefix: inboxPrefix(keys.sessionKey),
    });
    const operations =
      bindings.operations === undefined
        ? undefined
        : await OperationServer.bind(nc, bindings.operations, {
            ...identity,
            authenticator,
            logger: logger.child({ component: "operations" }),
            telemetry,
            ...(options.operations?.shutdownGraceMs === undefined
              ? {}
              : { shutdownGraceMs: options.operations.shutdownGraceMs }),
            timing: {
              ...(options.operations?.keepaliveMs === undefined ? {} : { keepaliveMs: options.operations.keepaliveMs }),
              ...(options.operations?.streamLifetimeMs === undefined
                ? {}
                : { lifetimeMs: options.operations.streamLifetimeMs }),
            },
          });
    const health = new HealthRegistry({
      service: name,
      contractId: contract.CONTRACT_ID,
      contractDigest: contract.CONTRACT_DIGEST,
    });
    health.add("nats", natsCheck(nc));

    const runtime = new ServiceRuntime({
      nc,
      contract,
      name,
      sessionKey: keys.sessionKey,
      rpcServer,
      feedServer,
      client,
      clientSurfaces: clientSurfaces(contract.API.trellis),
      health,
      bindings,
      resources: resources.value,
      logger,
      telemetry,
      workerInstanceId: newRequestId(),
      version: options.version,
      timeoutMs: options.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
      jobOptions: options.jobs ?? {},
      operations,
    });
    const healthRpc = declaredHealthRpc(contract.API.owned.rpc, name);
    if (healthRpc !== undefined) rpcServer.handle(healthRpc, healthHandler(health, name)).orThrow();

    const monitor = new ConnectionMonitor(nc, logger);
    monitor.on((status) => {
      if (status.type === "reconnected") runtime.wakeGroups();
    });
    const heartbeat =
      options.health?.heartbeat === false
        ? undefined
        : new Heartbeat(
            client.events,
            health,
            {
              name,
              instanceId: options.instanceId ?? keys.sessionKey,
              contractId: contract.CONTRACT_ID,
              contractDigest: contract.CONTRACT_DIGEST,
              version: options.version,
            },
            options.health?.publishIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
            logger,
          );
    const service = new TrellisService<C>(runtime, heartbeat, monitor, authenticator);
    await nc.flush();
    // A heartbeat that cannot be published is logged, not fatal: serving requests matters more.
    await heartbeat?.start();
    logger.info({ sessionKey: keys.sessionKey, contractDigest: contract.CONTRACT_DIGEST }, "service started");
    return ok(service);
  }

  get state(): ServiceState {
    return this.#state;
  }

  /**
   * How requests are authenticated (design/runtime.md "Request
   * authentication"): the fast path's state and how many requests it and
   * Validate decided; `validate` when every request goes to Validate;
   * `custom` for an authenticator passed to `fromConnection`.
   */
  get requestAuthentication(): RequestAuthenticationInfo {
    const auth = this.#authenticator;
    if (auth instanceof FastPathAuthenticator) return { mode: "fast-path", state: auth.state, ...auth.counts };
    return { mode: auth instanceof ValidateRpcAuthenticator ? "validate" : "custom" };
  }

  /** Every lifecycle change of the connection (disconnect, reconnecting, reconnected, stale, error, ...). */
  statuses(): AsyncIterable<ConnectionStatus> {
    return this.#monitor.statuses();
  }

  onStatus(listener: StatusListener): () => void {
    return this.#monitor.on(listener);
  }

  /** Consumer groups that are not pulling yet, with the events still lacking a listener. */
  pendingGroups(): Record<string, string[]> {
    return this.runtime.pendingGroups();
  }

  /** Resolves when the connection closes (then the service is stopped as well). */
  async wait(): Promise<void> {
    await this.runtime.parts.nc.closed();
    await this.stop();
  }

  /**
   * Idempotent, in the order of §7.4: stop heartbeats; stop job workers
   * (jobs.md §9) and consumer groups (the event in hand is acked or
   * nak'ed); drain: unsubscribe everything,
   * let in-flight handlers finish and reply, flush, close.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#state = "stopping";
      const { nc, rpcServer, feedServer, client, logger, operations } = this.runtime.parts;
      this.#heartbeat?.stop();
      // Job workers first (runtime-wire.md §7.4): in-flight jobs are NAKed for redelivery, not cancelled.
      await Promise.all([this.runtime.stopJobs(), this.runtime.stopGroups()]);
      await Promise.allSettled([rpcServer.drain(), feedServer.stop(), client.drain(), operations?.stop()]);
      if (!nc.isClosed()) {
        try {
          await nc.drain();
        } catch (error) {
          logger.warn({ error }, "NATS drain failed; closing");
          await nc.close().catch(() => undefined);
        }
      }
      this.#state = "closed";
      logger.info({}, "service stopped");
    })();
    return this.#stopping;
  }
}
