import type { NatsConnection } from "@nats-io/nats-core";
import {
  AsyncResult,
  err,
  ok,
  ValidationError,
  type EventSurface,
  type FeedSurface,
  type Result,
  type RpcSurface,
} from "../../contracts/index.ts";
import { inboxPrefix } from "../../contracts/index.ts";
import type { ClientRuntime } from "../client/client-runtime.ts";
import { isConsumerName } from "../events/consumer-config.ts";
import { ConsumerGroup } from "../events/consumer-group.ts";
import type { EventHandler } from "../events/event-types.ts";
import { clientFacade, type ClientSurfaces, type EventListener } from "../facade/client-facade.ts";
import { flushed } from "../lifecycle/flushed.ts";
import type { RuntimeContract } from "../facade/contract-shape.ts";
import type {
  ListenOptions,
  Registration,
  RegistrationError,
  ServiceEventHandler,
  ServiceFeedHandler,
  ServiceRpcHandler,
} from "../facade/service-facade.ts";
import type { FeedServer } from "../feeds/feed-server.ts";
import type { FeedHandler } from "../feeds/feed-types.ts";
import type { HealthRegistry } from "../health/health-checks.ts";
import { jobQueue, type JobQueueContext } from "../jobs/job-queue.ts";
import { JobWorkers } from "../jobs/job-workers.ts";
import { withRequestScope } from "../observability/request-scope.ts";
import type { Logger } from "../observability/logger.ts";
import type { Telemetry } from "../observability/telemetry.ts";
import type { TraceContext } from "../observability/trace-context.ts";
import type { RpcHandler, RpcServer } from "../rpc/rpc-server.ts";
import type { BoundResources } from "../resources/bind-resources.ts";
import type { JobWorkerOptions, ServiceBindings } from "./service-options.ts";
import type { OperationServer, ServedOperationHandler } from "../operations/operation-server.ts";
import type { OperationSurface } from "../../contracts/index.ts";

export type ServiceParts = {
  nc: NatsConnection;
  contract: RuntimeContract;
  name: string;
  sessionKey: string;
  rpcServer: RpcServer;
  feedServer: FeedServer;
  client: ClientRuntime;
  clientSurfaces: ClientSurfaces;
  health: HealthRegistry;
  bindings: ServiceBindings;
  /** `service.kv` / `service.store` handles, bound at start. */
  resources: BoundResources;
  logger: Logger;
  telemetry: Telemetry;
  /** Unique per live process: names this instance's job worker heartbeats (jobs.md §2). */
  workerInstanceId: string;
  version: string | undefined;
  timeoutMs: number;
  jobOptions: JobWorkerOptions;
  /** Serves operations when the control plane bound the operation-state bucket; else `undefined`. */
  operations: OperationServer | undefined;
};

/**
 * The machinery behind every `ServiceHandle` of one service: registration of
 * handlers (wrapped to add `client` and `deps`), consumer groups, and the
 * ordered shutdown of what it started.
 */
export class ServiceRuntime {
  readonly #groups = new Map<string, ConsumerGroup>();
  readonly #jobs: JobWorkers;

  constructor(readonly parts: ServiceParts) {
    this.#jobs = new JobWorkers(parts.jobOptions.shutdownGraceMs);
  }

  /** `service.jobs.<queue>` for a queue with a binding, its handlers receiving `deps`. */
  jobQueue(queue: string, deps: unknown) {
    const binding = this.parts.bindings.jobs?.[queue];
    if (binding === undefined) return undefined;
    const { nc, contract, sessionKey, logger, telemetry, workerInstanceId, version, timeoutMs, jobOptions } =
      this.parts;
    const context: JobQueueContext = {
      nc,
      contract,
      workers: this.#jobs,
      inboxPrefix: inboxPrefix(sessionKey),
      instanceId: workerInstanceId,
      version,
      timeoutMs,
      logger,
      telemetry,
      clientFor: (trace) => this.clientFor(trace),
      ...(jobOptions.pullExpiresMs === undefined ? {} : { pullExpiresMs: jobOptions.pullExpiresMs }),
      ...(jobOptions.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: jobOptions.heartbeatIntervalMs }),
    };
    return jobQueue(context, queue, binding, deps);
  }

  /** jobs.md §9: every queue's worker stops pulling, interrupts its handlers and settles what it can. */
  stopJobs(): Promise<unknown> {
    return this.#jobs.stop();
  }

  /** A client facade continuing `trace` (what handlers get as `client`). */
  clientFor(trace: TraceContext | undefined) {
    return clientFacade(this.parts.client, this.parts.clientSurfaces, trace);
  }

  /**
   * Runs a handler with `args`, `client` (made on first use, continuing the
   * request's trace) and the request in scope for what it calls: a job it
   * creates takes its request-id and trace.
   */
  #inScope<A extends object, R>(
    context: { readonly trace: TraceContext },
    requestId: string | undefined,
    args: A,
    handler: (args: A & { readonly client: unknown }) => R,
  ): R {
    const runtime = this;
    let client: unknown;
    const scope = requestId === undefined ? { trace: context.trace } : { requestId, trace: context.trace };
    return withRequestScope(scope, () =>
      handler({
        ...args,
        get client() {
          return (client ??= runtime.clientFor(context.trace));
        },
      }),
    );
  }

  handleRpc<S extends RpcSurface>(
    surface: S,
    handler: ServiceRpcHandler<S, unknown, unknown>,
    deps: unknown,
  ): Registration {
    const wrapped: RpcHandler<S> = ({ input, context }) =>
      this.#inScope(context, context.requestId, { input, context, deps }, handler);
    return this.#registered(this.parts.rpcServer.handle(surface, wrapped));
  }

  /** An operation handler (operations.md §7) with `client` and `deps`, run in the start request's scope. */
  handleOperation(
    server: OperationServer,
    surface: OperationSurface,
    handler: (args: Parameters<ServedOperationHandler>[0] & { client: unknown; deps: unknown }) => unknown,
    deps: unknown,
  ): Registration {
    const wrapped: ServedOperationHandler = ({ input, context, op }) =>
      this.#inScope(context, context.requestId, { input, context, op, deps }, handler);
    return this.#registered(server.handle(surface, wrapped));
  }

  handleFeed<S extends FeedSurface>(
    surface: S,
    handler: ServiceFeedHandler<S, unknown, unknown>,
    deps: unknown,
  ): Registration {
    const wrapped: FeedHandler<S> = ({ input, context, emit, signal }) =>
      this.#inScope(context, context.requestId, { input, context, emit, signal, deps }, handler);
    return this.#registered(this.parts.feedServer.handle(surface, wrapped));
  }

  listen<S extends EventSurface>(
    surface: S,
    handler: ServiceEventHandler<S, unknown, unknown>,
    deps: unknown,
    options: ListenOptions = {},
  ): AsyncResult<EventListener, RegistrationError> {
    const wrapped: EventHandler<S> = ({ event, context }) =>
      this.#inScope(context, undefined, { event, context, deps }, handler);
    if ((options as { durableName?: unknown }).durableName !== undefined) {
      return AsyncResult.err(
        refused("/durableName", "durable consumer names are provisioned by Trellis; pass the group name instead"),
      );
    }
    if (options.group === undefined) return this.parts.client.listen(surface, wrapped);
    const group = this.#group(options.group);
    if (group.isErr()) return AsyncResult.err(group.error);
    const listening = group.value.listen(surface, wrapped);
    if (listening.isErr()) return AsyncResult.err(listening.error);
    const listener: EventListener = { stop: () => group.value.stop() };
    return AsyncResult.ok(listener);
  }

  /** Groups whose pulls have not started because some selected event still has no listener. */
  pendingGroups(): Record<string, string[]> {
    const pending: Record<string, string[]> = {};
    for (const [name, group] of this.#groups) if (!group.started) pending[name] = group.missing;
    return pending;
  }

  /** After a reconnect the server has forgotten outstanding pulls. */
  wakeGroups(): void {
    for (const group of this.#groups.values()) group.wake();
    this.#jobs.wake();
  }

  stopGroups(): Promise<unknown> {
    return Promise.allSettled([...this.#groups.values()].map((group) => group.stop()));
  }

  #group(name: string): Result<ConsumerGroup, ValidationError> {
    const existing = this.#groups.get(name);
    if (existing !== undefined) return ok(existing);
    const at = `/eventConsumers/${name}`;
    const declaration = this.parts.contract.CONTRACT.eventConsumers?.[name];
    if (declaration === undefined) return err(refused(at, "is not a consumer group of this contract"));
    const binding = this.parts.bindings.eventConsumers?.[name];
    if (binding === undefined)
      return err(refused(at, "has no binding: the control plane provisions its consumer at approval"));
    if (!isConsumerName(binding.consumerName)) {
      return err(refused(`${at}/consumerName`, "must be a Trellis-provisioned name (tr_cons_<lowercase ULID>)"));
    }
    const names = [...(declaration.self ?? []), ...Object.values(declaration.uses ?? {}).flat()];
    const events: EventSurface[] = [];
    const known = this.parts.contract.API.trellis.events;
    for (const eventName of new Set(names)) {
      const surface = Object.hasOwn(known, eventName) ? known[eventName] : undefined;
      if (surface === undefined)
        return err(refused(at, `selects event '${eventName}', which this contract cannot see`));
      events.push(surface);
    }
    const group = new ConsumerGroup(this.parts.nc, {
      group: name,
      binding,
      events,
      inboxPrefix: inboxPrefix(this.parts.sessionKey),
      logger: this.parts.logger.child({ group: name }),
      telemetry: this.parts.telemetry,
    });
    this.#groups.set(name, group);
    return ok(group);
  }

  /** A synchronous registration outcome, resolved once NATS has the subscription. */
  #registered(result: Result<void, ValidationError>): Registration {
    if (result.isErr()) return AsyncResult.err(result.error);
    return new AsyncResult<void, RegistrationError>(flushed(this.parts.nc));
  }
}

function refused(path: string, message: string): ValidationError {
  return new ValidationError([{ path, message }]);
}
