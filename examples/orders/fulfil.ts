import { Result, ValidationError, type TerminalSnapshot, type TrellisService } from "@trellis/runtime";
import contract, { OrderNotFound } from "./contract.ts";
import type { Order, OrderStore } from "./order-store.ts";

type OrdersService = TrellisService<typeof contract>;
const STEPS = [
  { step: "picking", percent: 33 },
  { step: "packing", percent: 66 },
  { step: "handover", percent: 100 },
] as const;

/**
 * `Orders.Fulfil`, the caller-visible workflow of acme.orders@v1: a paid
 * order is picked, packed and handed over, reporting each step as progress.
 * An `expedite` signal shortens the remaining steps; a cancel stops before
 * the next one (the snapshot is already `cancelled`, so the handler returns
 * it and nothing more is committed).
 */
export async function registerFulfil(
  service: OrdersService,
  store: OrderStore,
  save: (order: Order) => Result<Order, unknown> | PromiseLike<Result<Order, unknown>>,
  stepMs = 300,
): Promise<void> {
  (
    await service.handle.operation.orders.fulfil(async ({ input, op }) => {
      const order = store.get(input.orderId);
      if (order === undefined) return Result.err(new OrderNotFound({ orderId: input.orderId }));
      if (order.status !== "paid") {
        return Result.err(new ValidationError([{ path: "/orderId", message: `order is ${order.status}, not paid` }]));
      }
      let delay = stepMs;
      void op.nextSignal("expedite").map((signal) => {
        service.logger.info({ orderId: order.orderId, reason: signal.input.reason }, "fulfilment expedited");
        delay = Math.floor(stepMs / 10);
      });
      for (const progress of STEPS) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        // Cancelled (by the caller, from any instance): the snapshot is terminal; returning it commits nothing.
        if (op.cancelled) return op.snapshot as TerminalSnapshot<typeof progress, never>;
        const reported = await op.progress(progress);
        if (reported.isErr()) return Result.err(reported.error);
      }
      const shipped = store.setStatus(order.orderId, "shipped")!.order;
      await save(shipped);
      const trackingNumber = `TRK-${order.orderId.replace(/^ord_/, "")}`;
      return Result.ok({ orderId: order.orderId, trackingNumber, shippedAt: new Date().toISOString() });
    })
  ).orThrow();
}
