import * as v from "valibot";
import { defineError, defineServiceContract, HealthReportSchema } from "@trellis/runtime";
import * as s from "./schemas.ts";

export const OrderNotFound = defineError({
  type: "OrderNotFound",
  fields: { orderId: v.string() },
  message: (fields) => `order ${fields.orderId} not found`,
});

export const OrderNotPayable = defineError({
  type: "OrderNotPayable",
  fields: { orderId: v.string(), status: s.OrderStatus },
  message: (fields) => `order ${fields.orderId} is ${fields.status}`,
});

const schemas = {
  Order: s.Order,
  OrderCreate: s.OrderCreate,
  OrderRef: s.OrderRef,
  OrderQuery: s.OrderQuery,
  OrderPage: s.OrderPage,
  OrderWatch: s.OrderWatch,
  OrderStatusChanged: s.OrderStatusChanged,
  FulfilProgress: s.FulfilProgress,
  Shipment: s.Shipment,
  Expedite: s.Expedite,
  InvoiceJob: s.InvoiceJob,
  Invoice: s.Invoice,
  Empty: v.object({}),
  Health: HealthReportSchema,
} as const;

/** acme.orders@v1: the example service. Side-effect free; the service itself is in main.ts. */
export default defineServiceContract({ schemas, errors: { OrderNotFound, OrderNotPayable } }, (ref) => ({
  id: "acme.orders@v1",
  displayName: "Orders",
  description: "Takes, tracks and fulfils customer orders.",
  docs: { markdown: "The example service of the Trellis repository." },
  capabilities: {
    read: { displayName: "Read orders", description: "See any order and its status." },
    write: { displayName: "Place orders", description: "Create and pay orders." },
    fulfil: {
      displayName: "Fulfil orders",
      description: "Start, expedite or cancel fulfilment.",
      consequence: "Ships goods to customers.",
    },
  },
  rpc: {
    "Orders.Create": {
      version: "v1",
      input: ref.schema("OrderCreate"),
      output: ref.schema("Order"),
      capabilities: { call: ["write"] },
      errors: [ref.error("ValidationError"), ref.error("AuthError"), ref.error("UnexpectedError")],
    },
    "Orders.Get": {
      version: "v1",
      input: ref.schema("OrderRef"),
      output: ref.schema("Order"),
      capabilities: { call: ["read"] },
      errors: [
        ref.error("OrderNotFound"),
        ref.error("ValidationError"),
        ref.error("AuthError"),
        ref.error("UnexpectedError"),
      ],
    },
    "Orders.List": {
      version: "v1",
      input: ref.schema("OrderQuery"),
      output: ref.schema("OrderPage"),
      capabilities: { call: ["read"] },
    },
    "Orders.Pay": {
      version: "v1",
      input: ref.schema("OrderRef"),
      output: ref.schema("Order"),
      capabilities: { call: ["write"] },
      errors: [
        ref.error("OrderNotFound"),
        ref.error("OrderNotPayable"),
        ref.error("ValidationError"),
        ref.error("UnexpectedError"),
      ],
    },
    "Orders.Health": { version: "v1", input: ref.schema("Empty"), output: ref.schema("Health") },
  },
  events: {
    "Orders.StatusChanged": {
      version: "v1",
      params: ["/status"],
      event: ref.schema("OrderStatusChanged"),
      capabilities: { subscribe: ["read"] },
    },
  },
  feeds: {
    "Orders.Watch": {
      version: "v1",
      input: ref.schema("OrderWatch"),
      event: ref.schema("Order"),
      capabilities: { subscribe: ["read"] },
    },
  },
  operations: {
    "Orders.Fulfil": {
      version: "v1",
      input: ref.schema("OrderRef"),
      progress: ref.schema("FulfilProgress"),
      output: ref.schema("Shipment"),
      capabilities: { call: ["fulfil"], observe: ["read"], cancel: ["fulfil"], control: ["fulfil"] },
      signals: { expedite: { input: ref.schema("Expedite") } },
      cancel: true,
    },
  },
  jobs: {
    invoice: { payload: ref.schema("InvoiceJob"), result: ref.schema("Invoice"), maxDeliver: 4, concurrency: 2 },
  },
  resources: {
    kv: { orders: { purpose: "Orders by id", schema: ref.schema("Order"), history: 3 } },
  },
}));
