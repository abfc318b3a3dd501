/**
 * Unix seconds as the server sees them (auth.md §3 "Clock offset"): every
 * `iat` a client sends is corrected by the offset measured against a
 * `serverNow` from bootstrap, so a skewed client clock does not fail auth.
 */
export class ServerClock {
  offsetMs = 0;

  /** `offsetMs = serverNow × 1000 − (t0 + t1) / 2`, with t0/t1 taken around the request. */
  observe(serverNowSeconds: number, sentAtMs: number, receivedAtMs: number): void {
    this.offsetMs = serverNowSeconds * 1000 - (sentAtMs + receivedAtMs) / 2;
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  iat(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}
