import type { AsyncResult, EventSurface, FeedSurface, OperationSurface, RpcSurface } from "../../contracts/index.ts";
import type { PublishError } from "../events/event-publisher.ts";
import type { PreparedEvent, PublishedEvent } from "../events/event-types.ts";
import { buildAccessors } from "../facade/accessor-names.ts";
import type { ClientFacade } from "../facade/client-facade.ts";
import type { OwnedApi, RuntimeContract, TrellisApi } from "../facade/contract-shape.ts";
import type { JobsFacade } from "../facade/jobs-facade.ts";
import type { OperationHandlerFacade } from "../facade/operation-facade.ts";
import type { KvFacade, StoreFacade } from "../facade/resource-facade.ts";
import { unavailableJobQueue } from "../jobs/job-queue-unavailable.ts";
import { unavailableOperationRegistrar } from "../operations/operation-unavailable.ts";
import type {
  FeedHandlerFacade,
  RpcHandlerFacade,
  ServiceEventClient,
  ServiceEventFacade,
  ServiceEventHandler,
  ServiceFeedHandler,
  ServiceRpcHandler,
} from "../facade/service-facade.ts";
import type { HealthCheck } from "../health/health-checks.ts";
import type { Logger } from "../observability/logger.ts";
import type { ServiceRuntime } from "./service-runtime.ts";

/** The client a service's handlers get: every surface of `API.trellis`. */
export type ServiceClient<C extends RuntimeContract> = ClientFacade<TrellisApi<C>>;

export type ServiceHealth = {
  /** Extra `service.info` in heartbeats. */
  setInfo(info: Record<string, unknown> | undefined): void;
  /** A named check for the health RPC and heartbeats. */
  add(name: string, check: HealthCheck): void;
};

/**
 * Registration surface of a service (tooling.md §2.1 `ServiceHandle<TDeps>`):
 * `handle.rpc|feed|operation.<g>.<l>(fn)` for owned surfaces, `jobs.<queue>`,
 * `event.<g>.<l>.listen`, `.publish`, `.prepare` for every event the contract
 * sees, `client` for calls, `kv` and `store` for the resources it owns.
 * `with(deps)` gives a handle whose handlers receive `deps`. Operations
 * without the operation-state binding, and a job queue without its binding,
 * answer with an Err saying so.
 */
export class ServiceHandle<C extends RuntimeContract, TDeps = undefined> {
  readonly handle: {
    readonly rpc: RpcHandlerFacade<OwnedApi<C>["rpc"], ServiceClient<C>, TDeps>;
    readonly feed: FeedHandlerFacade<OwnedApi<C>["feeds"], ServiceClient<C>, TDeps>;
    readonly operation: OperationHandlerFacade<OwnedApi<C>["operations"], ServiceClient<C>, TDeps>;
  };
  /** The contract's job queues (jobs.md). */
  readonly jobs: JobsFacade<C, ServiceClient<C>, TDeps>;
  readonly event: ServiceEventFacade<TrellisApi<C>["events"], ServiceClient<C>, TDeps>;
  /** `resources.kv` aliases (runtime-wire.md §6); an optional one without a binding is `undefined`. */
  readonly kv: KvFacade<C>;
  /** `resources.store` aliases; `open()` each. */
  readonly store: StoreFacade<C>;
  readonly #runtime: ServiceRuntime;
  #client: ServiceClient<C> | undefined;

  protected constructor(runtime: ServiceRuntime, deps: TDeps) {
    this.#runtime = runtime;
    const { contract, client } = runtime.parts;
    const rpc = buildAccessors(
      contract.API.owned.rpc,
      (surface: RpcSurface) => (handler: ServiceRpcHandler<RpcSurface, unknown, unknown>) =>
        runtime.handleRpc(surface, handler, deps),
    );
    const feed = buildAccessors(
      contract.API.owned.feeds,
      (surface: FeedSurface) => (handler: ServiceFeedHandler<FeedSurface, unknown, unknown>) =>
        runtime.handleFeed(surface, handler, deps),
    );
    const event = buildAccessors(
      contract.API.trellis.events,
      (surface: EventSurface): ServiceEventClient<EventSurface, unknown, unknown> => ({
        publish: (payload) => client.events.publish(surface, payload),
        prepare: (payload) => client.events.prepare(surface, payload),
        listen: (handler: ServiceEventHandler<EventSurface, unknown, unknown>, options) =>
          runtime.listen(surface, handler, deps, options),
      }),
    );
    // Served when the control plane bound the operation-state bucket; without it, they say they cannot be.
    const operations = runtime.parts.operations;
    const operation = buildAccessors(contract.API.owned.operations, (surface: OperationSurface) =>
      operations === undefined
        ? unavailableOperationRegistrar(surface)
        : Object.assign(
            (handler: Parameters<ServiceRuntime["handleOperation"]>[2]) =>
              runtime.handleOperation(operations, surface, handler, deps),
            { control: (operationId: string) => operations.control(surface, operationId) },
          ),
    );
    this.handle = { rpc, feed, operation } as unknown as ServiceHandle<C, TDeps>["handle"];
    // A queue runs when the control plane bound it; without a binding it says it cannot.
    const queues = Object.keys(contract.CONTRACT.jobs ?? {}).map((queue) => [
      queue,
      runtime.jobQueue(queue, deps) ?? unavailableJobQueue(contract.CONTRACT_ID, queue),
    ]);
    this.jobs = Object.freeze(Object.fromEntries(queues)) as JobsFacade<C, ServiceClient<C>, TDeps>;
    this.event = event as unknown as ServiceHandle<C, TDeps>["event"];
    this.kv = runtime.parts.resources.kv as KvFacade<C>;
    this.store = runtime.parts.resources.store as StoreFacade<C>;
  }

  /** Calls from outside any handler (handlers use their own `client`, which continues the request's trace). */
  get client(): ServiceClient<C> {
    return (this.#client ??= this.#runtime.clientFor(undefined) as ServiceClient<C>);
  }

  /** Republishes a prepared event unchanged (an outbox relay); the stream drops an id it has seen. */
  publishPrepared(prepared: PreparedEvent): AsyncResult<PublishedEvent, PublishError> {
    return this.#runtime.parts.client.events.publishPrepared(prepared);
  }

  get health(): ServiceHealth {
    const registry = this.#runtime.parts.health;
    return { setInfo: (info) => registry.setInfo(info), add: (name, check) => registry.add(name, check) };
  }

  get logger(): Logger {
    return this.#runtime.parts.logger;
  }

  with<TNext>(deps: TNext): ServiceHandle<C, TNext> {
    return new ServiceHandle<C, TNext>(this.#runtime, deps);
  }

  /** @internal */
  protected get runtime(): ServiceRuntime {
    return this.#runtime;
  }
}
