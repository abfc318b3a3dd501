import { defineAppContract } from "@trellis/runtime";
import orders from "../orders/contract.ts";

/** acme.orders-web@v1: an app that places, pays and watches orders. */
export default defineAppContract(() => ({
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
}));
