import type { EventConsumer } from "../manifest/types.ts";
import type { CompareContext } from "./context.ts";
import { CONSUMER_DELIVERY_DEFAULTS, compareDelivery } from "./delivery.ts";
import { diffKeys, diffLists } from "./keyed.ts";

/**
 * Event consumer groups (runtime-wire.md §3): one durable consumer each on
 * the `trellis` stream, with a stable name across deploys. Owner-only.
 */
export function compareConsumers(ctx: CompareContext): void {
  const before = ctx.before.eventConsumers ?? {};
  const after = ctx.after.eventConsumers ?? {};
  const { removed, added, kept } = diffKeys(before, after);
  for (const group of removed) {
    ctx.add({
      path: ["eventConsumers", group],
      change: "consumer.removed",
      message: `consumer group '${group}' removed: events it has not processed yet are dropped with its consumer`,
      owner: "breaking",
    });
  }
  for (const group of added) {
    const replay = after[group]!.replay === "all" ? " (replay 'all': it processes the stored history first)" : "";
    ctx.add({
      path: ["eventConsumers", group],
      change: "consumer.added",
      message: `consumer group '${group}' added${replay}`,
    });
  }
  for (const group of kept) compareGroup(ctx, group, before[group]!, after[group]!);
}

function compareGroup(ctx: CompareContext, group: string, before: EventConsumer, after: EventConsumer): void {
  const at = (...path: string[]) => ["eventConsumers", group, ...path];
  const what = `consumer group '${group}'`;
  if ((before.replay ?? "new") !== (after.replay ?? "new")) {
    ctx.add({
      path: at("replay"),
      change: "consumer.replay-changed",
      message: `${what} replay '${before.replay ?? "new"}' → '${after.replay ?? "new"}': a durable consumer's deliver policy cannot change in place, so it must be recreated and loses its position`,
      owner: "breaking",
    });
  }
  const oldEvents = selectedEvents(before);
  const newEvents = selectedEvents(after);
  const { removed, added } = diffLists([...oldEvents.keys()], [...newEvents.keys()]);
  for (const key of removed) {
    ctx.add({
      path: at(),
      change: "consumer.event-removed",
      message: `${what} no longer receives ${oldEvents.get(key)}`,
    });
  }
  for (const key of added) {
    ctx.add({
      path: at(),
      change: "consumer.event-added",
      message: `${what} now receives ${newEvents.get(key)} (new events only)`,
    });
  }
  for (const setting of ["ordering", "concurrency"] as const) {
    const old = before[setting] ?? (setting === "ordering" ? "strict" : 1);
    const now = after[setting] ?? (setting === "ordering" ? "strict" : 1);
    if (old !== now) {
      ctx.add({
        path: at(setting),
        change: "consumer.setting-changed",
        message: `${what} ${setting} ${String(old)} → ${String(now)}`,
      });
    }
  }
  const delivery = (consumer: EventConsumer) => ({
    maxDeliver: consumer.maxDeliver ?? CONSUMER_DELIVERY_DEFAULTS.maxDeliver,
    ackWaitMs: consumer.ackWaitMs ?? CONSUMER_DELIVERY_DEFAULTS.ackWaitMs,
    backoffMs: consumer.backoffMs ?? CONSUMER_DELIVERY_DEFAULTS.backoffMs,
  });
  compareDelivery(ctx, { prefix: "consumer", path: at(), what }, delivery(before), delivery(after));
}

/** The events a group selects, keyed by source and name, with how messages name them. */
function selectedEvents(consumer: EventConsumer): Map<string, string> {
  const events = new Map<string, string>();
  for (const name of consumer.self ?? []) events.set(JSON.stringify(["", name]), `its own event '${name}'`);
  for (const [alias, names] of Object.entries(consumer.uses ?? {}))
    for (const name of names) events.set(JSON.stringify([alias, name]), `'${name}' of '${alias}'`);
  return events;
}
