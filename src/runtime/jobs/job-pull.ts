import { createInbox, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import { ackMetadata, type Delivery } from "../events/pull-consumer.ts";
import type { Logger } from "../observability/logger.ts";

/** A pull waits at most this long on the server (jobs.md §8: `expires` ≤ 30 s). */
export const JOB_PULL_EXPIRES_MS = 30_000;
/** A pull that produced nothing this long after its expiry is presumed lost (e.g. across a reconnect). */
const PULL_GRACE_MS = 5_000;
/** After a 409 (too many waiting pulls, leadership change) the slot waits before asking again. */
const CONFLICT_PAUSE_MS = 250;
const ACK_TIMEOUT_MS = 5_000;

type Waiting = (outcome: Delivery | "again" | "stopped") => void;

/**
 * One worker slot's pulls (§8 startup step 3): `{batch: 1, expires}` to
 * `$JS.API.CONSUMER.MSG.NEXT.JOBS_WORK.<consumer>` with the slot's own inbox,
 * only while the slot is free. A message that arrives while nobody waits
 * (after stop, or for a pull presumed lost) goes to `stray`, which NAKs it.
 */
export class JobPull {
  readonly #inbox: string;
  #subscription: Subscription | undefined;
  #waiting: Waiting | undefined;
  #stopped = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly nextSubject: string,
    inboxPrefix: string,
    private readonly logger: Logger,
    private readonly stray: (delivery: Delivery) => void,
    private readonly expiresMs: number = JOB_PULL_EXPIRES_MS,
  ) {
    this.#inbox = createInbox(inboxPrefix);
  }

  start(): void {
    this.#subscription = this.nc.subscribe(this.#inbox, {
      callback: (error, msg) => {
        if (error !== null) this.logger.error({ error }, "job pull subscription failed");
        else this.#receive(msg);
      },
    });
  }

  /** The next work message for this slot, or undefined once stopped. */
  async next(): Promise<Delivery | undefined> {
    while (!this.#stopped) {
      const outcome = await new Promise<Delivery | "again" | "stopped">((resolve) => {
        const timer = setTimeout(() => resolve("again"), this.expiresMs + PULL_GRACE_MS);
        this.#waiting = (value) => {
          clearTimeout(timer);
          resolve(value);
        };
        this.#publish(this.nextSubject, JSON.stringify({ batch: 1, expires: this.expiresMs * 1_000_000 }), this.#inbox);
      });
      this.#waiting = undefined;
      if (outcome === "stopped") return undefined;
      if (outcome !== "again") return outcome;
    }
    return undefined;
  }

  /** After a reconnect the server has forgotten the pull: ask again now. */
  wake(): void {
    this.#waiting?.("again");
  }

  /** No more pulls; the subscription stays until `close()` so a late delivery is still NAKed. */
  stop(): void {
    this.#stopped = true;
    this.#waiting?.("stopped");
  }

  close(): void {
    this.stop();
    this.#subscription?.unsubscribe();
  }

  /** Confirmed (a request), so a stop right after cannot lose it. */
  async ack(delivery: Delivery): Promise<void> {
    if (delivery.msg.reply === undefined) return;
    try {
      await this.nc.request(delivery.msg.reply, "+ACK", { timeout: ACK_TIMEOUT_MS });
    } catch (error) {
      this.logger.warn({ error, sequence: delivery.streamSequence }, "ack not confirmed; the job may be redelivered");
    }
  }

  /** `-NAK`, with `{"delay": ns}` when a delay is given (the consumer has no backoff of its own). */
  nak(delivery: Delivery, delayMs = 0): void {
    if (delivery.msg.reply === undefined) return;
    this.#publish(delivery.msg.reply, delayMs > 0 ? `-NAK ${JSON.stringify({ delay: delayMs * 1_000_000 })}` : "-NAK");
  }

  /** `+WPI`: still working, restart `ack_wait`. */
  inProgress(delivery: Delivery): void {
    if (delivery.msg.reply !== undefined) this.#publish(delivery.msg.reply, "+WPI");
  }

  #publish(subject: string, body: string, reply?: string): void {
    try {
      this.nc.publish(subject, body, reply === undefined ? undefined : { reply });
    } catch (error) {
      this.logger.error({ error, subject }, "job publish to JetStream failed");
    }
  }

  #receive(msg: Msg): void {
    const code = msg.headers?.code ?? 0;
    if (code !== 0 && msg.data.length === 0) {
      // 100 is an idle heartbeat; 404/408 end the pull (ask again); 409 too, after a pause.
      if (code === 100) return;
      if (code === 409) {
        this.logger.debug({ description: msg.headers?.description }, "job pull ended by the server");
        const waiting = this.#waiting;
        setTimeout(() => waiting?.("again"), CONFLICT_PAUSE_MS);
        return;
      }
      this.#waiting?.("again");
      return;
    }
    const delivery: Delivery = { msg, ...ackMetadata(msg.reply) };
    if (this.#waiting !== undefined) this.#waiting(delivery);
    else this.stray(delivery);
  }
}
