/**
 * CSPRNG bytes handed out from a 4 KiB pool refilled with one
 * `getRandomValues` call: ids are minted several times per RPC (request id,
 * span ids), and one call per id (the `ulid` package makes one per
 * character) was a visible share of a call's CPU. The bytes are consumed at
 * once by the caller; the view is overwritten at the next refill.
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let at = POOL_BYTES;

export function randomBytesFromPool(count: number): Uint8Array {
  if (count > POOL_BYTES) return globalThis.crypto.getRandomValues(new Uint8Array(count));
  if (at + count > POOL_BYTES) {
    globalThis.crypto.getRandomValues(pool);
    at = 0;
  }
  const view = pool.subarray(at, at + count);
  at += count;
  return view;
}
