import * as v from "valibot";

export const OrderStatus = v.picklist(["pending", "paid", "shipped", "cancelled"]);

export const OrderItem = v.object({
  sku: v.pipe(v.string(), v.minLength(1)),
  quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
  priceCents: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export const Order = v.object({
  orderId: v.string(),
  customerId: v.string(),
  items: v.array(OrderItem),
  status: OrderStatus,
  totalCents: v.pipe(v.number(), v.integer(), v.minValue(0)),
  createdAt: v.string(),
});

export const OrderCreate = v.object({
  customerId: v.pipe(v.string(), v.minLength(1)),
  items: v.pipe(v.array(OrderItem), v.minLength(1), v.maxLength(50)),
  note: v.optional(v.pipe(v.string(), v.maxLength(500))),
});

export const OrderRef = v.object({ orderId: v.pipe(v.string(), v.minLength(1)) });

export const OrderQuery = v.object({
  status: v.optional(OrderStatus),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))),
});

export const OrderPage = v.object({ orders: v.array(Order) });

export const OrderWatch = v.object({ customerId: v.optional(v.string()) });

export const OrderStatusChanged = v.object({
  header: v.object({ id: v.string(), time: v.string() }),
  orderId: v.string(),
  customerId: v.string(),
  status: OrderStatus,
  previousStatus: v.optional(OrderStatus),
});

export const FulfilProgress = v.object({
  step: v.picklist(["picking", "packing", "handover"]),
  percent: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)),
});

export const Shipment = v.object({ orderId: v.string(), trackingNumber: v.string(), shippedAt: v.string() });

export const Expedite = v.object({ reason: v.pipe(v.string(), v.minLength(1)) });

export const InvoiceJob = v.object({ orderId: v.string() });
export const Invoice = v.object({
  invoiceId: v.string(),
  orderId: v.string(),
  totalCents: v.pipe(v.number(), v.integer()),
});
