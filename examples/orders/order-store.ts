import type * as v from "valibot";
import type { Order as OrderSchema, OrderCreate, OrderStatus } from "./schemas.ts";

export type Order = v.InferOutput<typeof OrderSchema>;
export type Status = v.InferOutput<typeof OrderStatus>;
export type Change = { order: Order; previousStatus: Status | undefined };

/**
 * The orders in memory, as the handlers read them; every change is also
 * written to the contract's `orders` kv resource (handlers.ts), from which
 * `restore` reloads them when the service starts again. Every change is
 * handed to the watchers, which is what the feed and the status events are
 * made from.
 */
export class OrderStore {
  readonly #orders = new Map<string, Order>();
  readonly #watchers = new Set<(change: Change) => void>();
  #next = 1;

  create(input: v.InferOutput<typeof OrderCreate>): Order {
    const order: Order = {
      orderId: `ord_${String(this.#next++).padStart(4, "0")}`,
      customerId: input.customerId,
      items: input.items,
      status: "pending",
      totalCents: input.items.reduce((total, item) => total + item.quantity * item.priceCents, 0),
      createdAt: new Date().toISOString(),
    };
    this.#orders.set(order.orderId, order);
    this.#changed({ order, previousStatus: undefined });
    return order;
  }

  /** An order kept from an earlier run; new ids continue after the highest one seen. */
  restore(order: Order): void {
    this.#orders.set(order.orderId, order);
    const n = Number(order.orderId.replace(/^ord_/, ""));
    if (Number.isSafeInteger(n) && n >= this.#next) this.#next = n + 1;
  }

  get(orderId: string): Order | undefined {
    return this.#orders.get(orderId);
  }

  list(filter: { status?: Status | undefined; limit?: number | undefined }): Order[] {
    const all = [...this.#orders.values()].filter(
      (order) => filter.status === undefined || order.status === filter.status,
    );
    return all.slice(0, filter.limit ?? 20);
  }

  setStatus(orderId: string, status: Status): Change | undefined {
    const current = this.#orders.get(orderId);
    if (current === undefined) return undefined;
    const change = { order: { ...current, status }, previousStatus: current.status };
    this.#orders.set(orderId, change.order);
    this.#changed(change);
    return change;
  }

  get size(): number {
    return this.#orders.size;
  }

  /** Calls `watcher` on every change until the returned function is called. */
  watch(watcher: (change: Change) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  #changed(change: Change): void {
    for (const watcher of this.#watchers) watcher(change);
  }
}
