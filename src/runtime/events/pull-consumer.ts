import { createInbox, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import type { Logger } from "../observability/logger.ts";

/** Pulls wait this long on the server (runtime-wire.md §3: one message at a time, 30 s expiry). */
export const PULL_EXPIRES_MS = 30_000;
/** A pull that produced nothing this long after its expiry is presumed lost (e.g. across a reconnect). */
const PULL_GRACE_MS = 5_000;
const ACK_TIMEOUT_MS = 5_000;

/** One delivered message and what its `$JS.ACK` reply subject says about it. */
export type Delivery = { msg: Msg; delivered: number; streamSequence: number };

/** The exact subjects a pull consumer uses, so the control plane can grant them. */
export function pullSubjects(stream: string, consumer: string): { next: string; ack: string } {
  return { next: `$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, ack: `$JS.ACK.${stream}.${consumer}.>` };
}

/**
 * A pull consumer over the raw JetStream API, one message per pull: publish
 * `{batch: 1, expires}` to `$JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>`
 * with a reply inbox under the session prefix, then ack/nak/term by
 * publishing to the message's `$JS.ACK…` reply. No consumer or stream info
 * is ever requested, so it works with exactly the grants `pullSubjects` names.
 */
export class PullConsumer {
  readonly #nc: NatsConnection;
  readonly #nextSubject: string;
  readonly #inbox: string;
  readonly #logger: Logger;
  readonly #queue: Delivery[] = [];
  #subscription: Subscription | undefined;
  #outstanding = 0;
  #waiter: (() => void) | undefined;
  #stopped = false;

  constructor(nc: NatsConnection, options: { stream: string; consumer: string; inboxPrefix: string; logger: Logger }) {
    this.#nc = nc;
    this.#nextSubject = pullSubjects(options.stream, options.consumer).next;
    this.#inbox = createInbox(options.inboxPrefix);
    this.#logger = options.logger;
  }

  start(): void {
    this.#subscription = this.#nc.subscribe(this.#inbox, {
      callback: (error, msg) => {
        if (error !== null) this.#logger.error({ error }, "pull subscription failed");
        else this.#receive(msg);
      },
    });
  }

  /** The next delivery, or undefined once stopped. */
  async next(): Promise<Delivery | undefined> {
    while (!this.#stopped) {
      const ready = this.#queue.shift();
      if (ready !== undefined) return ready;
      if (this.#outstanding === 0) this.#pull();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          // Nothing came back, not even the expiry status: the pull is gone.
          this.#outstanding = 0;
          resolve();
        }, PULL_EXPIRES_MS + PULL_GRACE_MS);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiter = undefined;
    }
    return undefined;
  }

  /** After a reconnect the server has forgotten our pulls: ask again now rather than after the expiry. */
  wake(): void {
    this.#outstanding = 0;
    this.#waiter?.();
  }

  /** Confirmed ack (the server answers), so a stop that follows cannot lose it. */
  async ack(delivery: Delivery): Promise<void> {
    if (delivery.msg.reply === undefined) return;
    try {
      await this.#nc.request(delivery.msg.reply, "+ACK", { timeout: ACK_TIMEOUT_MS });
    } catch (error) {
      this.#logger.warn(
        { error, sequence: delivery.streamSequence },
        "ack not confirmed; the event may be redelivered",
      );
    }
  }

  /** Negative ack, redelivered after `delayMs` (nats-server 2.10 ignores consumer backoff on a plain NAK). */
  nak(delivery: Delivery, delayMs?: number): void {
    if (delivery.msg.reply === undefined) return;
    const body =
      delayMs === undefined || delayMs <= 0 ? "-NAK" : `-NAK ${JSON.stringify({ delay: delayMs * 1_000_000 })}`;
    this.#publish(delivery.msg.reply, body);
  }

  /** Never redeliver (a payload that cannot be read will not get better). */
  term(delivery: Delivery): void {
    if (delivery.msg.reply !== undefined) this.#publish(delivery.msg.reply, "+TERM");
  }

  /** Stops pulling; the server drops our waiting pull once the inbox has no interest. */
  stop(): void {
    this.#stopped = true;
    this.#subscription?.unsubscribe();
    this.#waiter?.();
  }

  #pull(): void {
    this.#outstanding++;
    this.#publish(this.#nextSubject, JSON.stringify({ batch: 1, expires: PULL_EXPIRES_MS * 1_000_000 }), this.#inbox);
  }

  #publish(subject: string, body: string, reply?: string): void {
    try {
      this.#nc.publish(subject, body, reply === undefined ? undefined : { reply });
    } catch (error) {
      this.#logger.error({ error, subject }, "JetStream publish failed");
    }
  }

  #receive(msg: Msg): void {
    const code = msg.headers?.code ?? 0;
    if (code !== 0 && msg.data.length === 0) {
      // 404 no messages, 408 expired, 409 limits or leadership change, 100 heartbeat: this pull is done.
      if (code !== 100) this.#outstanding = Math.max(0, this.#outstanding - 1);
      if (code === 409) this.#logger.debug({ description: msg.headers?.description }, "pull ended by the server");
    } else {
      this.#outstanding = Math.max(0, this.#outstanding - 1);
      this.#queue.push({ msg, ...ackMetadata(msg.reply) });
    }
    this.#waiter?.();
  }
}

/**
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>`, or
 * the 2.10 form with domain and account hash before the stream.
 */
export function ackMetadata(reply: string | undefined): { delivered: number; streamSequence: number } {
  const tokens = (reply ?? "").split(".");
  const offset = tokens.length >= 12 ? 4 : 2;
  return { delivered: Number(tokens[offset + 2] ?? 1) || 1, streamSequence: Number(tokens[offset + 3] ?? 0) || 0 };
}
