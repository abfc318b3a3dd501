import type {
  AsyncResult,
  EventSurface,
  FeedSurface,
  Result,
  RpcSurface,
  SurfaceInput,
  SurfaceOutput,
  TransportError,
  UnexpectedError,
  ValidationError,
} from "../../contracts/index.ts";
import type { PublishError } from "../events/event-publisher.ts";
import type {
  EventContext,
  EventPublishInput,
  PreparedEvent,
  PublishedEvent,
  ReceivedEvent,
} from "../events/event-types.ts";
import type { FeedContext, FeedEmit } from "../feeds/feed-types.ts";
import type { EventListener } from "./client-facade.ts";
import type { HandlerResult } from "../rpc/handler-result.ts";
import type { RpcContext } from "../rpc/rpc-server.ts";
import type { AccessorLeaf, GroupsOf, NamesInGroup } from "./accessor-types.ts";

/**
 * The handler signatures of a service (one consistent set, spec README
 * "Notes for implementers"): every handler gets one argument with what it
 * handles, its `context`, a `client` for downstream calls (continuing the
 * request's trace) and the `deps` given to `service.with(deps)`.
 */
export type ServiceRpcHandler<S extends RpcSurface, TClient, TDeps> = (args: {
  input: SurfaceInput<S>;
  context: RpcContext;
  client: TClient;
  deps: TDeps;
}) => HandlerResult<SurfaceOutput<S>>;

export type ServiceFeedHandler<S extends FeedSurface, TClient, TDeps> = (args: {
  input: SurfaceInput<S>;
  context: FeedContext;
  emit: FeedEmit<S>;
  signal: AbortSignal;
  client: TClient;
  deps: TDeps;
}) => HandlerResult<void>;

export type ServiceEventHandler<S extends EventSurface, TClient, TDeps> = (args: {
  event: ReceivedEvent<S>;
  context: EventContext;
  client: TClient;
  deps: TDeps;
}) => HandlerResult<void>;

export type RegistrationError = ValidationError | TransportError | UnexpectedError;
/** Registering resolves once NATS has the subscription; Err when refused (already handled, unknown group, ...). */
export type Registration = AsyncResult<void, RegistrationError>;

export type ListenOptions = {
  /** A consumer group declared in the contract's `eventConsumers`; omitted: an ephemeral listener. */
  group?: string;
  /** Durable names are provisioned by Trellis (`tr_cons_…`); a caller-chosen one is refused. */
  durableName?: never;
};

export interface ServiceEventClient<S extends EventSurface, TClient, TDeps> {
  publish(payload: EventPublishInput<S>): AsyncResult<PublishedEvent, PublishError>;
  prepare(payload: EventPublishInput<S>): Result<PreparedEvent, ValidationError>;
  /** Resolves once listening (for a group: once registered; pulls start when every event of the group has one). */
  listen(
    handler: ServiceEventHandler<S, TClient, TDeps>,
    options?: ListenOptions,
  ): AsyncResult<EventListener, RegistrationError>;
}

export type RpcHandlerFacade<TRpc, TClient, TDeps> = {
  readonly [G in GroupsOf<TRpc>]: {
    readonly [N in NamesInGroup<TRpc, G> as AccessorLeaf<N>]: TRpc[N] extends RpcSurface
      ? (handler: ServiceRpcHandler<TRpc[N], TClient, TDeps>) => Registration
      : never;
  };
};

export type FeedHandlerFacade<TFeeds, TClient, TDeps> = {
  readonly [G in GroupsOf<TFeeds>]: {
    readonly [N in NamesInGroup<TFeeds, G> as AccessorLeaf<N>]: TFeeds[N] extends FeedSurface
      ? (handler: ServiceFeedHandler<TFeeds[N], TClient, TDeps>) => Registration
      : never;
  };
};

export type ServiceEventFacade<TEvents, TClient, TDeps> = {
  readonly [G in GroupsOf<TEvents>]: {
    readonly [N in NamesInGroup<TEvents, G> as AccessorLeaf<N>]: TEvents[N] extends EventSurface
      ? ServiceEventClient<TEvents[N], TClient, TDeps>
      : never;
  };
};
