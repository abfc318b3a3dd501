// The acme.orders@v1 service. Run it on a dev stack with `trellis run examples/orders/main.ts`
// (which sets TRELLIS_URL and TRELLIS_SESSION_KEY_SEED), or as the README demo does.
import { TrellisService } from "@trellis/runtime";
import contract from "./contract.ts";
import { registerOrders, restoreOrders } from "./handlers.ts";
import { OrderStore } from "./order-store.ts";

const trellisUrl = process.env.TRELLIS_URL;
const sessionKeySeed = process.env.TRELLIS_SESSION_KEY_SEED;
if (trellisUrl === undefined || sessionKeySeed === undefined) {
  console.error("set TRELLIS_URL and TRELLIS_SESSION_KEY_SEED (trellis run does)");
  process.exit(2);
}

const connected = await TrellisService.connect({ trellisUrl, contract, name: "orders", sessionKeySeed });
if (connected.isErr()) {
  console.error(`orders: cannot connect: ${connected.error.message}`);
  process.exit(1);
}
const service = connected.value;
const store = new OrderStore();
const restored = await restoreOrders(service, store);
if (restored.isErr()) {
  console.error(`orders: cannot read the orders kv resource: ${restored.error.message}`);
  await service.stop();
  process.exit(1);
}
await registerOrders(service, store);
console.log(`orders service ready (${restored.value} orders kept from earlier runs)`);

// The runtime installs no signal handlers (runtime-wire.md §7.5): stop, then exit naturally with 0.
const stop = () => void service.stop();
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
await service.wait();
process.off("SIGTERM", stop);
process.off("SIGINT", stop);
console.log("orders service stopped");
