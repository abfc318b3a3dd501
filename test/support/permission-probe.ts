import type { NatsConnection } from "@nats-io/nats-core";

type Violation = { operation: string; subject: string };

/**
 * Asks the server itself whether a connection may publish or subscribe a
 * subject: nats-server answers a refused PUB or SUB with `-ERR 'Permissions
 * Violation …'` before the PONG of the following flush, and nats.js reports
 * it as an `error` status carrying the operation and subject.
 */
export class PermissionProbe {
  readonly #violations: Violation[] = [];

  constructor(private readonly nc: NatsConnection) {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type !== "error") continue;
        const error = status.error as { name?: string; operation?: string; subject?: string };
        if (error.name === "PermissionViolationError") {
          this.#violations.push({ operation: error.operation ?? "", subject: error.subject ?? "" });
        }
      }
    })();
  }

  /** The server's -ERR precedes the flush's PONG; the status iterator delivers it a turn later. */
  async #settle(): Promise<void> {
    await this.nc.flush();
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
  }

  async canPublish(subject: string): Promise<boolean> {
    const before = this.#violations.length;
    this.nc.publish(subject, "{}");
    await this.#settle();
    return !this.#violations.slice(before).some((v) => v.operation === "publish" && v.subject === subject);
  }

  async canSubscribe(subject: string): Promise<boolean> {
    const before = this.#violations.length;
    const sub = this.nc.subscribe(subject);
    await this.#settle();
    const refused = this.#violations.slice(before).some((v) => v.operation === "subscription" && v.subject === subject);
    if (!refused) sub.unsubscribe();
    return !refused;
  }
}

/** A concrete subject matching a granted pattern: `*` → a token, `>` → two tokens. */
export function concreteSubject(pattern: string): string {
  return pattern
    .split(".")
    .map((token) => (token === "*" ? "probe" : token === ">" ? "probe.deep" : token))
    .join(".");
}
