import { Result, type TrellisClient } from "@trellis/runtime";
import { OrderNotFound, OrderNotPayable } from "../orders/contract.ts";
import type contract from "./contract.ts";

type Shop = TrellisClient<typeof contract>;

/**
 * A scripted visit to the shop through acme.orders@v1: typed calls, a
 * declared error handled by its class, the `Orders.Watch` feed and the
 * `Orders.StatusChanged` events, the `Orders.Fulfil` operation (started,
 * expedited with a signal, waited on), and the `lastOrder` state store
 * (kept per user by Trellis across visits). Returns once it has seen what it caused
 * (or after `waitMs`).
 */
export async function visitShop(client: Shop, say: (line: string) => void, waitMs = 5000): Promise<void> {
  const last = (await client.state.lastOrder.get()).orThrow();
  const previous = last.found && !last.migrationRequired ? last.entry.value : undefined;
  say(
    `state  lastOrder -> ${previous === undefined ? "none yet" : `${previous.orderId} (placed ${previous.placedAt})`}`,
  );
  const seen = { events: 0, feed: 0 };
  const listener = (
    await client.event.orders.statusChanged.listen(({ event }) => {
      seen.events++;
      say(`event  Orders.StatusChanged ${event.orderId}: ${event.previousStatus ?? "(new)"} -> ${event.status}`);
      return Result.ok(undefined);
    })
  ).orThrow();
  const feed = (await client.feed.orders.watch({ customerId: "alice" })).orThrow();
  const watching = (async () => {
    for await (const order of feed) {
      seen.feed++;
      say(`feed   Orders.Watch ${order.orderId} is ${order.status} (${order.totalCents} cents)`);
    }
  })();

  const order = (
    await client.rpc.orders.create({
      customerId: "alice",
      items: [
        { sku: "tea-sencha", quantity: 2, priceCents: 450 },
        { sku: "cup", quantity: 1, priceCents: 1200 },
      ],
    })
  ).orThrow();
  say(`rpc    Orders.Create -> ${order.orderId} status=${order.status} total=${order.totalCents} (typed Order)`);
  const remembered = (
    await client.state.lastOrder.put({ orderId: order.orderId, placedAt: order.createdAt })
  ).orThrow();
  say(
    `state  lastOrder <- ${order.orderId} (revision ${remembered.applied ? remembered.entry.revision : "unchanged"})`,
  );

  const paid = (await client.rpc.orders.pay({ orderId: order.orderId })).orThrow();
  say(`rpc    Orders.Pay -> ${paid.orderId} status=${paid.status}`);

  const again = await client.rpc.orders.pay({ orderId: order.orderId });
  if (again.isErr() && again.error instanceof OrderNotPayable) {
    say(
      `rpc    Orders.Pay again -> ${again.error.type} (orderId=${again.error.orderId}, status=${again.error.status})`,
    );
  } else say(`rpc    Orders.Pay again -> unexpected: ${again.isErr() ? again.error.message : "paid twice"}`);

  const missing = await client.rpc.orders.get({ orderId: "ord_9999" });
  if (missing.isErr() && missing.error instanceof OrderNotFound) {
    say(`rpc    Orders.Get ord_9999 -> ${missing.error.type} (orderId=${missing.error.orderId})`);
  }

  const invalid = await client.rpc.orders.create({ customerId: "", items: [] });
  if (invalid.isErr()) {
    say(`rpc    Orders.Create {} -> ${invalid.error.type}, refused before sending: ${invalid.error.message}`);
  }

  const listed = (await client.rpc.orders.list({ status: "paid" })).orThrow();
  say(`rpc    Orders.List status=paid -> ${listed.orders.map((o) => o.orderId).join(", ")}`);

  const fulfil = (await client.operation.orders.fulfil.start({ orderId: order.orderId })).orThrow();
  say(`op     Orders.Fulfil ${order.orderId} accepted as ${fulfil.id}`);
  (await fulfil.signal("expedite", { reason: "gift" })).orThrow();
  say("op     Orders.Fulfil signal expedite -> accepted");
  const shipped = (await fulfil.wait()).orThrow();
  say(
    `op     Orders.Fulfil -> ${shipped.state} (revision ${shipped.revision}) tracking=${shipped.output?.trackingNumber ?? "-"}`,
  );

  // Two changes happened (created, paid): wait for their events and feed items, within reason.
  const deadline = Date.now() + waitMs;
  while ((seen.events < 2 || seen.feed < 2) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  feed.close();
  await watching;
  await listener.stop();
}
