import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JsMsg,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "../../runtime/index.ts";
import { sleep } from "./sleep.ts";

export type DurableSpec = {
  stream: string;
  durable: string;
  filter: string;
  /** 1 for the projector: events are applied strictly in order (jobs.md §10). */
  maxAckPending?: number;
  /**
   * The last stream sequence the database holds. When the durable has acked
   * past it (the database was dropped or replaced), the durable is deleted
   * and created again from the start, so the projection is rebuilt instead
   * of silently missing what came before.
   */
  projectedSeq?: () => number;
};

/** What to do with a message once handled: ack it, or have it redelivered after `delayMs`. */
export type Verdict = { ack: true } | { ack: false; delayMs: number };
export type DurableHandler = (msg: JsMsg) => Promise<Verdict> | Verdict;

export type LoopStatus = { running: boolean; lastError?: string };

const FETCH_EXPIRES_MS = 2000;
const MAX_BACKOFF_MS = 10_000;

/**
 * One pull loop on a durable (explicit ack, deliver all), handling one
 * message at a time. Failures (stream not there yet, NATS away, a handler
 * throwing) are logged and retried with backoff; nothing here ends the
 * control plane. Messages are handled in delivery order.
 */
export class DurableLoop {
  readonly #nc: NatsConnection;
  readonly #spec: DurableSpec;
  readonly #handler: DurableHandler;
  readonly #logger: Logger;
  readonly #stop = new AbortController();
  #batch: ConsumerMessages | undefined;
  #done: Promise<void> | undefined;
  #status: LoopStatus = { running: false };
  #caughtUp = false;

  constructor(nc: NatsConnection, spec: DurableSpec, handler: DurableHandler, logger: Logger) {
    this.#nc = nc;
    this.#spec = spec;
    this.#handler = handler;
    this.#logger = logger.child({ durable: spec.durable, stream: spec.stream });
  }

  get status(): LoopStatus {
    return this.#status;
  }

  /** Whether the last fetch found nothing more to deliver (the janitor waits for this: design/jobs-admin.md). */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  start(): void {
    this.#done ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#batch?.close().catch(() => undefined);
    await this.#done;
  }

  async #run(): Promise<void> {
    let backoff = 250;
    while (!this.#stop.signal.aborted) {
      try {
        await this.#ensure();
        const consumer = await jetstream(this.#nc).consumers.get(this.#spec.stream, this.#spec.durable);
        this.#status = { running: true };
        backoff = 250;
        while (!this.#stop.signal.aborted) {
          this.#batch = await consumer.fetch({ max_messages: 256, expires: FETCH_EXPIRES_MS });
          let delivered = 0;
          for await (const msg of this.#batch) {
            delivered++;
            const verdict = await this.#handle(msg);
            if (verdict.ack) msg.ack();
            else msg.nak(verdict.delayMs);
            this.#caughtUp = verdict.ack && msg.info.pending === 0;
            if (this.#stop.signal.aborted) break;
          }
          if (delivered === 0) this.#caughtUp = true;
        }
      } catch (error) {
        if (this.#stop.signal.aborted) break;
        const message = error instanceof Error ? error.message : String(error);
        this.#status = { running: false, lastError: message };
        this.#caughtUp = false;
        this.#logger.warn({ error: message, retryInMs: backoff }, "jobs loop failed; retrying");
        await sleep(backoff, this.#stop.signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    this.#status = { running: false };
  }

  async #handle(msg: JsMsg): Promise<Verdict> {
    try {
      return await this.#handler(msg);
    } catch (error) {
      // A bug or the database failing: leave the message to come back rather than lose it.
      this.#logger.error({ seq: msg.seq, subject: msg.subject, error }, "jobs loop handler failed; redelivering");
      return { ack: false, delayMs: 1000 };
    }
  }

  async #ensure(): Promise<void> {
    const jsm = await jetstreamManager(this.#nc);
    const { stream, durable, filter, projectedSeq } = this.#spec;
    if (projectedSeq !== undefined) {
      const info = await jsm.consumers.info(stream, durable).catch(() => undefined);
      const projected = projectedSeq();
      if (info !== undefined && info.ack_floor.stream_seq > projected) {
        this.#logger.warn(
          { ackFloor: info.ack_floor.stream_seq, projected },
          "the database is behind its durable (dropped or replaced); rebuilding from the start of the stream",
        );
        await jsm.consumers.delete(stream, durable);
      }
    }
    await jsm.consumers.add(stream, {
      durable_name: durable,
      filter_subject: filter,
      deliver_policy: DeliverPolicy.All,
      ack_policy: AckPolicy.Explicit,
      ack_wait: 30_000_000_000,
      ...(this.#spec.maxAckPending === undefined ? {} : { max_ack_pending: this.#spec.maxAckPending }),
    });
  }
}
