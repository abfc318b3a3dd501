import { createInbox, type MsgHdrs, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import { err, ok, type Result } from "../../contracts/index.ts";
import { isNoRespondersStatus } from "./headers.ts";
import { classifyNatsFailure, type NatsFailureKind } from "./transport-errors.ts";

export type RequestFailure = { kind: NatsFailureKind | "aborted"; cause?: unknown };
export type RequestOptions = { timeoutMs: number; headers?: MsgHdrs; signal?: AbortSignal | undefined };

type Pending = { subject: string; settle: (outcome: Result<Msg, RequestFailure>) => void };

/**
 * Request/reply over one wildcard subscription on the connection's inbox,
 * like nats.js's own mux but without what it costs per request on the hot
 * path (three `Error`s with captured stacks and its timeout bookkeeping:
 * ~5 % of the CPU of an RPC at 64 in flight, bench/RESULTS.md). A reply,
 * a no-responders status, a timeout, an abort, a permissions violation of
 * the publish, or the connection closing settles each request exactly once;
 * nothing ever rejects. One per connection (`requesterFor`).
 */
export class Requester {
  readonly #pending = new Map<string, Pending>();
  readonly #base: string;
  #subscription: Subscription | undefined;
  #counter = 0;

  constructor(private readonly nc: NatsConnection) {
    // The connection's inbox prefix (the session's, which its permissions allow); nats.js keeps it in `options`.
    const prefix = (nc as NatsConnection & { options?: { inboxPrefix?: string } }).options?.inboxPrefix;
    this.#base = `${createInbox(prefix ?? "_INBOX")}.`;
    void this.#watchStatus();
    void nc.closed().then(() => this.#failAll({ kind: "closed" }));
  }

  request(subject: string, body: Uint8Array, options: RequestOptions): Promise<Result<Msg, RequestFailure>> {
    if (options.signal?.aborted) return Promise.resolve(err({ kind: "aborted" }));
    this.#subscribe();
    const token = (this.#counter++).toString(36);
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => settle(err({ kind: "aborted" }));
      const settle = (outcome: Result<Msg, RequestFailure>) => {
        if (!this.#pending.delete(token)) return;
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      this.#pending.set(token, { subject, settle });
      timer = setTimeout(() => settle(err({ kind: "timeout" })), options.timeoutMs);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        this.nc.publish(subject, body, {
          reply: `${this.#base}${token}`,
          ...(options.headers ? { headers: options.headers } : {}),
        });
      } catch (cause) {
        settle(err({ kind: classifyNatsFailure(cause), cause }));
      }
    });
  }

  #subscribe(): void {
    if (this.#subscription !== undefined) return;
    this.#subscription = this.nc.subscribe(`${this.#base}*`, {
      callback: (error, msg) => {
        if (error !== null) return;
        const pending = this.#pending.get(msg.subject.slice(this.#base.length));
        if (pending === undefined) return; // late (timed out or aborted): dropped, as nats.js does
        pending.settle(isNoRespondersStatus(msg) ? err({ kind: "no_responders" }) : ok(msg));
      },
    });
  }

  /** nats-server reports a refused publish asynchronously; fail the requests sent to that subject. */
  async #watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type !== "error") continue;
      const error = status.error as { name?: string; operation?: string; subject?: string };
      if (error.name !== "PermissionViolationError" || error.operation !== "publish") continue;
      for (const pending of [...this.#pending.values()]) {
        if (pending.subject === error.subject) pending.settle(err({ kind: "denied", cause: status.error }));
      }
    }
  }

  #failAll(failure: RequestFailure): void {
    for (const pending of [...this.#pending.values()]) pending.settle(err(failure));
  }
}

const requesters = new WeakMap<NatsConnection, Requester>();

/** The connection's Requester, made on first use. */
export function requesterFor(nc: NatsConnection): Requester {
  let requester = requesters.get(nc);
  if (requester === undefined) requesters.set(nc, (requester = new Requester(nc)));
  return requester;
}
