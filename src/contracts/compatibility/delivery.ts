import type { CompareContext } from "./context.ts";

/** The settings that decide when a message is redelivered and when it gives up. */
export type DeliverySettings = { maxDeliver: number; ackWaitMs: number; backoffMs: readonly number[] };

/**
 * Event consumer groups have no defaults in contracts.md §1 beyond replay,
 * ordering and concurrency; these are the values runtime-wire.md §3 shows.
 */
export const CONSUMER_DELIVERY_DEFAULTS: DeliverySettings = {
  maxDeliver: 6,
  ackWaitMs: 300000,
  backoffMs: [5000, 30000, 120000, 600000, 1800000],
};

/**
 * Queue settings jobs.md treats as migrations: lowering `maxDeliver` sends
 * messages that already used more deliveries straight to the dead-letter
 * path, a shorter `ackWaitMs` redelivers work that is still running, and a
 * shorter backoff retries sooner than downstream systems were promised.
 * Raising them is safe (the durable consumer is updated in place).
 */
export function compareDelivery(
  ctx: CompareContext,
  place: { prefix: "job" | "consumer"; path: readonly (string | number)[]; what: string },
  before: DeliverySettings,
  after: DeliverySettings,
): void {
  const { prefix, path, what } = place;
  if (after.maxDeliver < before.maxDeliver) {
    ctx.add({
      path: [...path, "maxDeliver"],
      change: `${prefix}.max-deliver-lowered`,
      message: `${what} maxDeliver ${before.maxDeliver} → ${after.maxDeliver}: messages already delivered ${after.maxDeliver} times or more give up at once, and the existing consumer's max_deliver must be changed`,
      owner: "breaking",
    });
  } else if (after.maxDeliver > before.maxDeliver) {
    ctx.add({
      path: [...path, "maxDeliver"],
      change: `${prefix}.max-deliver-raised`,
      message: `${what} maxDeliver ${before.maxDeliver} → ${after.maxDeliver} (the consumer is updated in place)`,
    });
  }
  if (after.ackWaitMs < before.ackWaitMs) {
    ctx.add({
      path: [...path, "ackWaitMs"],
      change: `${prefix}.ack-wait-lowered`,
      message: `${what} ackWaitMs ${before.ackWaitMs} → ${after.ackWaitMs}: work running longer than that without a heartbeat is redelivered while still running`,
      owner: "breaking",
    });
  } else if (after.ackWaitMs > before.ackWaitMs) {
    ctx.add({
      path: [...path, "ackWaitMs"],
      change: `${prefix}.ack-wait-raised`,
      message: `${what} ackWaitMs ${before.ackWaitMs} → ${after.ackWaitMs} (the consumer is updated in place)`,
    });
  }
  const shorter = firstDelay(before, after, (old, now) => now < old);
  const longer = firstDelay(before, after, (old, now) => now > old);
  if (shorter !== undefined) {
    ctx.add({
      path: [...path, "backoffMs"],
      change: `${prefix}.backoff-shortened`,
      message: `${what} backoff: after delivery ${shorter.delivery} the retry waits ${shorter.now} ms instead of ${shorter.old} ms`,
      owner: "breaking",
    });
  } else if (longer !== undefined) {
    ctx.add({
      path: [...path, "backoffMs"],
      change: `${prefix}.backoff-lengthened`,
      message: `${what} backoff: after delivery ${longer.delivery} the retry waits ${longer.now} ms instead of ${longer.old} ms`,
    });
  }
}

/** Delay before redelivery after delivery `d` (1-based): `backoffMs[min(d-1, len-1)]` (jobs.md §6). */
function delayAfter(settings: DeliverySettings, delivery: number): number {
  const steps = settings.backoffMs;
  return steps.length === 0 ? 0 : steps[Math.min(delivery - 1, steps.length - 1)]!;
}

function firstDelay(
  before: DeliverySettings,
  after: DeliverySettings,
  differs: (old: number, now: number) => boolean,
): { delivery: number; old: number; now: number } | undefined {
  // Only deliveries that can still be retried under the new limit matter.
  for (let delivery = 1; delivery < after.maxDeliver; delivery++) {
    const old = delayAfter(before, delivery);
    const now = delayAfter(after, delivery);
    if (differs(old, now)) return { delivery, old, now };
  }
  return undefined;
}
