import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import {
  AsyncResult,
  type EventSurface,
  type TransportError,
  type UnexpectedError,
  type ValidationError,
} from "../../contracts/index.ts";
import type { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import { listenEphemeral } from "../events/ephemeral-listener.ts";
import { EventPublisher } from "../events/event-publisher.ts";
import type { EventHandler } from "../events/event-types.ts";
import type { EventListener, ClientCore } from "../facade/client-facade.ts";
import { FeedClient } from "../feeds/feed-client.ts";
import { InFlight } from "../lifecycle/in-flight.ts";
import type { Logger } from "../observability/logger.ts";
import type { Telemetry } from "../observability/telemetry.ts";
import { RpcClient } from "../rpc/rpc-client.ts";
import { OperationCaller } from "../operations/operation-client.ts";
import { flushed } from "../lifecycle/flushed.ts";

export type ClientRuntimeOptions = {
  keys: SessionKeys;
  clock?: ServerClock | undefined;
  timeoutMs?: number | undefined;
  logger: Logger;
  telemetry: Telemetry;
  /** §5.3's 45 s of silence before an operation stream is re-issued (smaller in tests). */
  operationSilenceMs?: number | undefined;
};

/** The calling side over one connection: RPCs, feeds, event publishing and ephemeral listeners. */
export class ClientRuntime implements ClientCore {
  readonly rpc: RpcClient;
  readonly feeds: FeedClient;
  readonly events: EventPublisher;
  readonly operations: OperationCaller;
  readonly #nc: NatsConnection;
  readonly #logger: Logger;
  readonly #telemetry: Telemetry;
  readonly #listeners = new Set<Subscription>();
  readonly #inFlight = new InFlight();

  constructor(nc: NatsConnection, options: ClientRuntimeOptions) {
    this.#nc = nc;
    this.#logger = options.logger;
    this.#telemetry = options.telemetry;
    const shared = {
      keys: options.keys,
      telemetry: options.telemetry,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    };
    this.rpc = new RpcClient(nc, shared);
    this.feeds = new FeedClient(nc, shared);
    this.events = new EventPublisher(nc, { telemetry: options.telemetry });
    this.operations = new OperationCaller(nc, this.rpc, { ...shared, silenceMs: options.operationSilenceMs });
  }

  listen<S extends EventSurface>(
    surface: S,
    handler: EventHandler<S>,
  ): AsyncResult<EventListener, ValidationError | TransportError | UnexpectedError> {
    const subscription = listenEphemeral(this.#nc, surface, handler, {
      inFlight: this.#inFlight,
      logger: this.#logger,
      telemetry: this.#telemetry,
    });
    this.#listeners.add(subscription);
    const listener: EventListener = {
      stop: () => {
        this.#listeners.delete(subscription);
        subscription.unsubscribe();
      },
    };
    // Resolves once the server has the subscription, so events published after it are seen.
    return new AsyncResult(flushed(this.#nc).then((done) => done.map(() => listener)));
  }

  /** Stops every listener and waits for their running handlers. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#listeners].map((subscription) => subscription.drain()));
    this.#listeners.clear();
    await this.#inFlight.settled();
  }
}
