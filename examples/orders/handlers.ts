import { Result, type KVError, type TrellisService } from "@trellis/runtime";
import contract, { OrderNotFound, OrderNotPayable } from "./contract.ts";
import { registerFulfil } from "./fulfil.ts";
import type { Change, Order, OrderStore } from "./order-store.ts";

type OrdersService = TrellisService<typeof contract>;

/**
 * The handlers of acme.orders@v1: its RPCs (typed Results with the declared
 * errors), the `Orders.Watch` feed, and `Orders.StatusChanged` on every
 * status change. `Orders.Health` is mounted by the runtime itself; the
 * `Orders.Fulfil` operation ships a paid order (fulfil.ts). Paying an order
 * creates an `invoice` job, which this service also works off (jobs are
 * service-private background work; operations are what callers see).
 */
export async function registerOrders(service: OrdersService, store: OrderStore): Promise<void> {
  // Status changes become events; a failed publish is logged, the change itself stands.
  store.watch((change) => void announce(service, change));

  // Every change is written to the `orders` kv resource before it is answered, so a restart keeps it.
  const save = (order: Order) => service.kv.orders.put(order.orderId, order).map(() => order);

  (await service.handle.rpc.orders.create(({ input }) => save(store.create(input)))).orThrow();

  (
    await service.handle.rpc.orders.get(({ input }) => {
      const order = store.get(input.orderId);
      return order === undefined ? Result.err(new OrderNotFound({ orderId: input.orderId })) : Result.ok(order);
    })
  ).orThrow();

  (await service.handle.rpc.orders.list(({ input }) => Result.ok({ orders: store.list(input) }))).orThrow();

  (
    await service.handle.rpc.orders.pay(({ input }) => {
      const order = store.get(input.orderId);
      if (order === undefined) return Result.err(new OrderNotFound({ orderId: input.orderId }));
      if (order.status !== "pending") {
        return Result.err(new OrderNotPayable({ orderId: order.orderId, status: order.status }));
      }
      return save(store.setStatus(order.orderId, "paid")!.order).map(async (paid) => {
        // The payment stands even if the invoice cannot be queued now; the failure is logged.
        const job = await service.jobs.invoice.create({ orderId: paid.orderId });
        if (job.isErr()) service.logger.warn({ orderId: paid.orderId, error: job.error }, "invoice job not created");
        return paid;
      });
    })
  ).orThrow();

  // Invoices are made in the background; a redelivered job makes the same invoice again (idempotent).
  (
    await service.jobs.invoice.handle(({ payload }) => {
      const order = store.get(payload.orderId);
      if (order === undefined) return Result.err(new OrderNotFound({ orderId: payload.orderId }));
      const invoice = { invoiceId: `inv-${order.orderId}`, orderId: order.orderId, totalCents: order.totalCents };
      service.logger.info(invoice, "invoice made");
      return Result.ok(invoice);
    })
  ).orThrow();

  // Every change of a customer's orders (or of all orders), for as long as the subscriber stays.
  (
    await service.handle.feed.orders.watch(async ({ input, emit, signal }) => {
      const changes: Change[] = [];
      let wake: (() => void) | undefined;
      const stop = store.watch((change) => {
        if (input.customerId !== undefined && change.order.customerId !== input.customerId) return;
        changes.push(change);
        wake?.();
      });
      signal.addEventListener("abort", () => wake?.(), { once: true });
      try {
        while (!signal.aborted) {
          const next = changes.shift();
          if (next === undefined) {
            await new Promise<void>((resolve) => (wake = resolve));
            continue;
          }
          const sent = await emit(next.order);
          if (sent.isErr()) break; // the feed ended (subscriber gone, stopping)
        }
      } finally {
        stop();
      }
      return Result.ok(undefined);
    })
  ).orThrow();

  await registerFulfil(service, store, save);

  service.health.add("store", () => Result.ok({ summary: `${store.size} orders` }));
}

/** The orders an earlier run kept in the `orders` kv resource. */
export async function restoreOrders(service: OrdersService, store: OrderStore): Promise<Result<number, KVError>> {
  const keys = await service.kv.orders.keys();
  if (keys.isErr()) return Result.err(keys.error);
  for await (const key of keys.value) {
    const entry = await service.kv.orders.get(key);
    // A value that no longer matches the schema (or vanished meanwhile) is skipped, not fatal.
    if (entry.isOk()) store.restore(entry.value.value);
  }
  return Result.ok(store.size);
}

async function announce(service: OrdersService, { order, previousStatus }: Change): Promise<void> {
  await service.event.orders.statusChanged.publish({
    orderId: order.orderId,
    customerId: order.customerId,
    status: order.status,
    ...(previousStatus === undefined ? {} : { previousStatus }),
  });
}
