/**
 * RFC 3339 timestamps as integer nanoseconds since the epoch, the ordering
 * and deadline columns of jobs.md §11. BigInt: nanoseconds exceed 2^53.
 * Digits beyond milliseconds are kept (another runtime may write them).
 */
export function timestampNanos(timestamp: string): bigint | undefined {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return undefined;
  const fraction = /\.(\d+)/.exec(timestamp)?.[1] ?? "";
  const subMillis = fraction.length > 3 ? BigInt(fraction.slice(3, 9).padEnd(6, "0")) : 0n;
  return BigInt(ms) * 1_000_000n + subMillis;
}

export const nowNanos = (now: number = Date.now()): bigint => BigInt(now) * 1_000_000n;
