import { err, ok, type Result, type StoreError } from "../../contracts/index.ts";
import { storeError } from "./store-errors.ts";
import type { StoreInfo, StoreWaitOptions } from "./store-types.ts";

export const DEFAULT_WAIT_TIMEOUT_MS = 30_000;
export const DEFAULT_POLL_INTERVAL_MS = 250;

/**
 * Polls `lookup` until it finds the object (runtime-wire.md §6 `waitFor`).
 * Polling rather than a watch keeps to the store's granted subjects with one
 * direct get per poll and no consumer to clean up.
 */
export async function waitFor(
  key: string,
  lookup: () => Promise<StoreInfo | undefined>,
  options: StoreWaitOptions,
): Promise<Result<StoreInfo, StoreError>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const pollMs = Math.max(1, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  const deadline = Date.now() + timeoutMs;
  const { signal } = options;
  for (;;) {
    if (signal?.aborted) return err(storeError("waitFor", "aborted", { key }));
    const found = await lookup();
    if (found !== undefined) return ok(found);
    const left = deadline - Date.now();
    if (left <= 0) return err(storeError("waitFor", "timeout", { key, timeoutMs }));
    await pause(Math.min(pollMs, left), signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
