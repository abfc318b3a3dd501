import * as v from "valibot";
import { defineAppContract } from "@trellis/runtime";
import orders from "../orders/contract.ts";

const schemas = { LastOrder: v.object({ orderId: v.string(), placedAt: v.string() }) } as const;

/** acme.orders-web@v1: an app that places, pays and watches orders, and remembers each user's last order. */
export default defineAppContract({ schemas }, (ref) => ({
  id: "acme.orders-web@v1",
  displayName: "Orders web",
  description: "The shop front: places, pays and follows orders.",
  uses: {
    required: {
      orders: orders.use({
        rpc: { call: ["Orders.Create", "Orders.Get", "Orders.List", "Orders.Pay"] },
        operations: { call: ["Orders.Fulfil"] },
        events: { subscribe: ["Orders.StatusChanged"] },
        feeds: { subscribe: ["Orders.Watch"] },
      }),
    },
  },
  state: { lastOrder: { kind: "value", schema: ref.schema("LastOrder") } },
}));
