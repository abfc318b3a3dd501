import type { NatsConnection } from "@nats-io/nats-core";
import { err, ok, ValidationError, wildcardSubject, type EventSurface, type Result } from "../../contracts/index.ts";
import type { Logger } from "../observability/logger.ts";
import type { Telemetry } from "../observability/telemetry.ts";
import { subjectMatches } from "../rpc/subject-match.ts";
import type { EventConsumerBinding } from "./consumer-config.ts";
import { decodeEvent, runEventHandler } from "./event-dispatch.ts";
import type { EventHandler } from "./event-types.ts";
import { PullConsumer, type Delivery } from "./pull-consumer.ts";

type Listener = { surface: EventSurface; handler: EventHandler<EventSurface>; filter: string };

export type ConsumerGroupOptions = {
  group: string;
  binding: EventConsumerBinding;
  /** The events the group's declaration selects; pulls start once each has a listener. */
  events: readonly EventSurface[];
  inboxPrefix: string;
  logger: Logger;
  telemetry?: Telemetry | undefined;
};

/**
 * One durable consumer group (runtime-wire.md §3) on its provisioned
 * consumer. Each message: no matching listener → nak; JSON or schema failure
 * → term; handler Err or throw → nak delayed by
 * `backoffMs[min(delivery − 1, len − 1)]`; otherwise ack.
 */
export class ConsumerGroup {
  readonly #nc: NatsConnection;
  readonly #options: ConsumerGroupOptions;
  readonly #listeners = new Map<string, Listener>();
  #consumer: PullConsumer | undefined;
  #workers: Promise<void>[] = [];

  constructor(nc: NatsConnection, options: ConsumerGroupOptions) {
    this.#nc = nc;
    this.#options = options;
  }

  get started(): boolean {
    return this.#consumer !== undefined;
  }

  /** Names of selected events that still lack a listener. */
  get missing(): string[] {
    return this.#options.events.map((event) => event.name).filter((name) => !this.#listeners.has(name));
  }

  listen<S extends EventSurface>(surface: S, handler: EventHandler<S>): Result<void, ValidationError> {
    const at = `/eventConsumers/${this.#options.group}`;
    if (!this.#options.events.some((event) => event.name === surface.name)) {
      return err(new ValidationError([{ path: at, message: `does not select event '${surface.name}'` }]));
    }
    if (this.#listeners.has(surface.name)) {
      return err(new ValidationError([{ path: at, message: `event '${surface.name}' already has a listener` }]));
    }
    this.#listeners.set(surface.name, {
      surface,
      handler: handler as unknown as EventHandler<EventSurface>,
      filter: wildcardSubject(surface.subject),
    });
    if (this.missing.length === 0) this.#start();
    return ok(undefined);
  }

  /** After a reconnect: pull again at once. */
  wake(): void {
    this.#consumer?.wake();
  }

  /** Stops pulling and waits for the message in hand to be acked or nak'ed. */
  async stop(): Promise<void> {
    this.#consumer?.stop();
    await Promise.allSettled(this.#workers);
  }

  #start(): void {
    const { binding, inboxPrefix, logger } = this.#options;
    const consumer = new PullConsumer(this.#nc, {
      stream: binding.stream,
      consumer: binding.consumerName,
      inboxPrefix,
      logger,
    });
    consumer.start();
    this.#consumer = consumer;
    this.#workers = Array.from({ length: Math.max(1, binding.concurrency) }, () => this.#work(consumer));
    logger.info({ group: this.#options.group, consumer: binding.consumerName }, "consumer group started");
  }

  async #work(consumer: PullConsumer): Promise<void> {
    for (let delivery = await consumer.next(); delivery !== undefined; delivery = await consumer.next()) {
      await this.#deliver(consumer, delivery);
    }
  }

  async #deliver(consumer: PullConsumer, delivery: Delivery): Promise<void> {
    const { group, binding, logger, telemetry } = this.#options;
    const subject = delivery.msg.subject;
    const log = { group, subject, sequence: delivery.streamSequence, delivery: delivery.delivered };
    const listener = [...this.#listeners.values()].find((candidate) => subjectMatches(candidate.filter, subject));
    if (listener === undefined) {
      logger.warn(log, "no listener for this subject in the group; nak");
      return consumer.nak(delivery);
    }
    const event = decodeEvent(listener.surface, delivery.msg.data);
    if (event.isErr()) {
      logger.warn(
        { ...log, event: listener.surface.name, error: event.error, errorType: event.error.type },
        "invalid event terminated",
      );
      return consumer.term(delivery);
    }
    const result = await runEventHandler(
      listener.surface,
      listener.handler,
      event.value,
      delivery.msg,
      { mode: "durable", group, sequence: delivery.streamSequence, delivery: delivery.delivered },
      telemetry,
    );
    if (result.isOk()) return consumer.ack(delivery);
    const steps = binding.backoffMs;
    const delayMs = steps.length === 0 ? 0 : steps[Math.min(delivery.delivered - 1, steps.length - 1)]!;
    logger.warn(
      {
        ...log,
        event: listener.surface.name,
        id: event.value.header.id,
        error: result.error,
        errorType: result.error.type,
        retryInMs: delayMs,
      },
      "event handler failed; redelivery scheduled",
    );
    consumer.nak(delivery, delayMs);
  }
}
