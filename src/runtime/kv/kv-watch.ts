import type { KvWatchEntry } from "@nats-io/kv";
import type { QueuedIterator } from "@nats-io/nats-core";
import type { KvChange, KvWatch } from "./kv-types.ts";

/**
 * A nats.js watch as `KvWatch`: entries mapped (and filtered: `map` returns
 * `undefined` for what is not delivered), stopped by `stop()`, by leaving the
 * loop, or by the signal. Stopping deletes the ordered consumer.
 */
export function kvWatch<TValue>(
  source: QueuedIterator<KvWatchEntry>,
  signal: AbortSignal | undefined,
  map: (entry: KvWatchEntry) => KvChange<TValue> | undefined,
): KvWatch<TValue> {
  const stop = () => source.stop();
  if (signal?.aborted) stop();
  signal?.addEventListener("abort", stop, { once: true });
  return {
    stop,
    async *[Symbol.asyncIterator]() {
      try {
        for await (const entry of source) {
          const change = map(entry);
          if (change !== undefined) yield change;
        }
      } finally {
        signal?.removeEventListener("abort", stop);
        stop();
      }
    },
  };
}
