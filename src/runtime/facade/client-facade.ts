import {
  AsyncResult,
  ValidationError,
  type TransportError,
  type EventSurface,
  type FeedSurface,
  type OperationSurface,
  type Result,
  type RpcSurface,
  type SurfaceEvent,
  type SurfaceGroups,
  type SurfaceInput,
  type SurfaceOutput,
  type UnexpectedError,
} from "../../contracts/index.ts";
import type { EventPublisher, PublishError } from "../events/event-publisher.ts";
import type { EventHandler, EventPublishInput, PreparedEvent, PublishedEvent } from "../events/event-types.ts";
import type { Feed, FeedClient, FeedOpenError, FeedOptions } from "../feeds/feed-client.ts";
import type { TraceContext } from "../observability/trace-context.ts";
import type { RpcClient } from "../rpc/rpc-client.ts";
import type { RpcCallError } from "../rpc/rpc-types.ts";
import type { AccessorLeaf, GroupsOf, NamesInGroup } from "./accessor-types.ts";
import { buildAccessors, type AccessorTree } from "./accessor-names.ts";
import type { OperationCaller } from "../operations/operation-client.ts";
import type { OperationFacade } from "./operation-facade.ts";

export type RpcCall<S extends RpcSurface> = (
  input: SurfaceInput<S>,
  options?: { timeoutMs?: number; signal?: AbortSignal },
) => AsyncResult<SurfaceOutput<S>, RpcCallError<S>>;

export type FeedOpen<S extends FeedSurface> = (
  input: SurfaceInput<S>,
  options?: Omit<FeedOptions, "trace">,
) => AsyncResult<Feed<SurfaceEvent<S>>, FeedOpenError>;

/** A listener, stopped with `stop()` (for a durable group listener: the group's pulls stop). */
export interface EventListener {
  stop(): void | Promise<void>;
}

export interface EventClient<S extends EventSurface> {
  publish(payload: EventPublishInput<S>): AsyncResult<PublishedEvent, PublishError>;
  prepare(payload: EventPublishInput<S>): Result<PreparedEvent, ValidationError>;
  /** An ephemeral listener (core subscription); durable groups (`options.group`) belong to services. */
  listen(
    handler: EventHandler<S>,
    options?: { group?: string },
  ): AsyncResult<EventListener, ValidationError | TransportError | UnexpectedError>;
}

export type RpcFacade<TRpc> = {
  readonly [G in GroupsOf<TRpc>]: {
    readonly [N in NamesInGroup<TRpc, G> as AccessorLeaf<N>]: TRpc[N] extends RpcSurface ? RpcCall<TRpc[N]> : never;
  };
};
export type FeedFacade<TFeeds> = {
  readonly [G in GroupsOf<TFeeds>]: {
    readonly [N in NamesInGroup<TFeeds, G> as AccessorLeaf<N>]: TFeeds[N] extends FeedSurface
      ? FeedOpen<TFeeds[N]>
      : never;
  };
};
export type EventFacade<TEvents> = {
  readonly [G in GroupsOf<TEvents>]: {
    readonly [N in NamesInGroup<TEvents, G> as AccessorLeaf<N>]: TEvents[N] extends EventSurface
      ? EventClient<TEvents[N]>
      : never;
  };
};

/**
 * `client.rpc.<g>.<l>(input)`, `client.operation.<g>.<l>.start(…)`,
 * `client.event.<g>.<l>.publish(…)`, `client.feed.<g>.<l>(input)` over `API.trellis`.
 */
export type ClientFacade<TApi extends SurfaceGroups> = {
  readonly rpc: RpcFacade<TApi["rpc"]>;
  readonly operation: OperationFacade<TApi["operations"]>;
  readonly event: EventFacade<TApi["events"]>;
  readonly feed: FeedFacade<TApi["feeds"]>;
};

/** The connection-level pieces a client facade calls into. */
export type ClientCore = {
  rpc: RpcClient;
  feeds: FeedClient;
  events: EventPublisher;
  operations: OperationCaller;
  listen<S extends EventSurface>(
    surface: S,
    handler: EventHandler<S>,
  ): AsyncResult<EventListener, ValidationError | TransportError | UnexpectedError>;
};

/** The accessor trees of an API, computed (and checked for collisions) once per contract. */
export type ClientSurfaces = {
  rpc: AccessorTree<RpcSurface>;
  operations: AccessorTree<OperationSurface>;
  events: AccessorTree<EventSurface>;
  feeds: AccessorTree<FeedSurface>;
};

export function clientSurfaces(api: SurfaceGroups): ClientSurfaces {
  const same = <T>(surface: T): T => surface;
  return {
    rpc: buildAccessors(api.rpc, same),
    operations: buildAccessors(api.operations, same),
    events: buildAccessors(api.events, same),
    feeds: buildAccessors(api.feeds, same),
  };
}

/**
 * A client facade over `core`; calls continue `trace` when given (inside a
 * handler, the request's trace), so downstream spans join the caller's trace.
 */
export function clientFacade<TApi extends SurfaceGroups>(
  core: ClientCore,
  surfaces: ClientSurfaces,
  trace?: TraceContext,
): ClientFacade<TApi> {
  const rpc = mapTree(
    surfaces.rpc,
    (surface): RpcCall<RpcSurface> =>
      (input, options = {}) =>
        core.rpc.call(surface, input, { ...options, trace }),
  );
  const feed = mapTree(
    surfaces.feeds,
    (surface): FeedOpen<FeedSurface> =>
      (input, options = {}) =>
        core.feeds.open(surface, input, { ...options, trace }),
  );
  const event = mapTree(surfaces.events, (surface): EventClient<EventSurface> => ({
    publish: (payload) => core.events.publish(surface, payload, { trace }),
    prepare: (payload) => core.events.prepare(surface, payload, { trace }),
    listen: (handler, options = {}) =>
      options.group === undefined
        ? core.listen(surface, handler)
        : AsyncResult.err(
            new ValidationError([
              { path: "/group", message: "durable consumer groups are served by a TrellisService, not a client" },
            ]),
          ),
  }));
  const operation = mapTree(surfaces.operations, (surface) => core.operations.client(surface, trace));
  return { rpc, operation, event, feed } as unknown as ClientFacade<TApi>;
}

export function mapTree<TIn, TOut>(tree: AccessorTree<TIn>, make: (value: TIn) => TOut): AccessorTree<TOut> {
  const out: AccessorTree<TOut> = {};
  for (const [group, leaves] of Object.entries(tree)) {
    const built: Record<string, TOut> = {};
    for (const [leaf, value] of Object.entries(leaves)) built[leaf] = make(value);
    out[group] = Object.freeze(built);
  }
  return Object.freeze(out);
}
