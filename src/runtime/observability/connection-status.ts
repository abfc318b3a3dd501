import type { NatsConnection, Status } from "@nats-io/nats-core";
import type { Logger } from "./logger.ts";

/** A NATS lifecycle change as the runtime reports it (runtime-wire.md §5). */
export type ConnectionStatus =
  | { type: "disconnected"; server: string }
  | { type: "reconnecting" }
  | { type: "reconnected"; server: string }
  | { type: "stale" }
  | { type: "error"; error: Error }
  | { type: "lame_duck"; server: string }
  | { type: "slow_consumer"; subject: string; pending: number }
  | { type: "closed" };

export type StatusListener = (status: ConnectionStatus) => void;

/**
 * Watches one connection: each lifecycle change logs a distinct message and
 * reaches every listener (`on`) and every `statuses()` iterator. The
 * connection's status stream is read once and fanned out.
 */
export class ConnectionMonitor {
  readonly #listeners = new Set<StatusListener>();
  #done = false;

  constructor(
    nc: NatsConnection,
    private readonly logger: Logger,
  ) {
    void this.#watch(nc);
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  on(listener: StatusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The changes from now on, ending when the connection closes. */
  async *statuses(): AsyncGenerator<ConnectionStatus, void, undefined> {
    const queue: ConnectionStatus[] = [];
    let wake: (() => void) | undefined;
    const off = this.on((status) => {
      queue.push(status);
      wake?.();
    });
    try {
      while (true) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          if (next.type === "closed") return;
          continue;
        }
        if (this.#done) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      off();
    }
  }

  async #watch(nc: NatsConnection): Promise<void> {
    const closed = nc.closed().then(() => this.#emit({ type: "closed" }));
    try {
      for await (const status of nc.status()) {
        const mapped = this.#map(status);
        if (mapped !== undefined) this.#emit(mapped);
      }
    } catch (error) {
      this.logger.debug({ error }, "nats status stream ended");
    }
    await closed;
  }

  #map(status: Status): ConnectionStatus | undefined {
    switch (status.type) {
      case "disconnect":
        return { type: "disconnected", server: status.server };
      case "reconnecting":
        return { type: "reconnecting" };
      case "reconnect":
        return { type: "reconnected", server: status.server };
      case "staleConnection":
        return { type: "stale" };
      case "error":
        return { type: "error", error: status.error };
      case "ldm":
        return { type: "lame_duck", server: status.server };
      case "slowConsumer":
        return { type: "slow_consumer", subject: status.sub.getSubject(), pending: status.pending };
      default:
        return undefined; // pings, cluster updates, forced reconnects: not lifecycle changes
    }
  }

  #emit(status: ConnectionStatus): void {
    if (this.#done) return;
    if (status.type === "closed") this.#done = true;
    this.#log(status);
    for (const listener of this.#listeners) {
      try {
        listener(status);
      } catch (error) {
        this.logger.error({ error }, "connection status listener threw");
      }
    }
  }

  #log(status: ConnectionStatus): void {
    switch (status.type) {
      case "disconnected":
        return this.logger.warn({ server: status.server }, "nats disconnected");
      case "reconnecting":
        return this.logger.info({}, "nats reconnecting");
      case "reconnected":
        return this.logger.info({ server: status.server }, "nats reconnected");
      case "stale":
        return this.logger.warn({}, "nats connection stale");
      case "error":
        return this.logger.error({ error: status.error }, "nats error");
      case "lame_duck":
        return this.logger.warn({ server: status.server }, "nats server in lame duck mode");
      case "slow_consumer":
        return this.logger.warn({ subject: status.subject, pending: status.pending }, "nats slow consumer");
      case "closed":
        return this.logger.info({}, "nats connection closed");
    }
  }
}
