import { KvWatchInclude, type KV } from "@nats-io/kv";
import * as v from "valibot";
import { err, ok, type KVError, type Result } from "../../contracts/index.ts";
import { kvError } from "../kv/kv-errors.ts";
import { decodeJson } from "../wire/json-body.ts";
import { StoredEventSchema, StoredSignalSchema, type StoredEvent, type StoredSignal } from "./operation-wire.ts";

/** A running live feed: stop it when done (the ordered consumer is deleted). */
export type LiveFeed = { stop(): void };

/**
 * §4 rule 5: an ordered consumer on `$KV.<bucket>.<key filter>`. It exists
 * when this resolves, so a caller that reads the snapshot afterwards misses
 * nothing in between. Entries are delivered in stream order, which for
 * create-only `evt`/`sig` keys is revision (or signal-sequence) order.
 */
async function watchKeys<T>(
  kv: KV,
  key: string,
  include: KvWatchInclude,
  schema: v.GenericSchema<unknown, T>,
  onValue: (value: T) => void,
): Promise<Result<LiveFeed, KVError>> {
  let iterator: Awaited<ReturnType<KV["watch"]>>;
  try {
    iterator = await kv.watch({ key, include, ignoreDeletes: true });
  } catch (error) {
    return err(kvError("watch", key, "unavailable", error));
  }
  void (async () => {
    for await (const entry of iterator) {
      if (entry.operation !== "PUT") continue;
      const decoded = decodeJson(entry.value);
      const parsed = decoded.isOk() ? v.safeParse(schema, decoded.value) : undefined;
      // Values are written by the runtime alone; an unreadable one is skipped rather than ending the feed.
      if (parsed?.success === true) onValue(parsed.output);
    }
  })().catch(() => undefined);
  return ok({ stop: () => iterator.stop() });
}

/** New events of one operation (`deliver_policy: new`). */
export function watchEvents(kv: KV, id: string, onEvent: (event: StoredEvent) => void) {
  return watchKeys(kv, `evt.${id}.>`, KvWatchInclude.UpdatesOnly, StoredEventSchema, onEvent);
}

/** Every accepted signal of one operation, from the first (`deliver_policy: all`). */
export function watchSignals(kv: KV, id: string, onSignal: (signal: StoredSignal) => void) {
  return watchKeys(kv, `sig.${id}.>`, KvWatchInclude.AllHistory, StoredSignalSchema, onSignal);
}
