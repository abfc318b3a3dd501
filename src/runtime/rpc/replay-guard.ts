/**
 * The replay cache of auth.md §4 step 4: a request id is accepted once per
 * session. `claim` inserts the key only if absent and says whether it did.
 * Validators of one deployment must share it (the control plane backs it
 * with a KV bucket written create-if-absent); `MemoryReplayGuard` serves one
 * process (tests, a single in-process validator).
 */
export interface ReplayGuard {
  /** True when `key` was absent and is now held until at least `keepUntilMs`. */
  claim(key: string, keepUntilMs: number): Promise<boolean>;
}

export class MemoryReplayGuard implements ReplayGuard {
  readonly #expiry = new Map<string, number>();
  #nextSweepMs = 0;

  async claim(key: string, keepUntilMs: number): Promise<boolean> {
    const now = Date.now();
    this.#sweep(now);
    const held = this.#expiry.get(key);
    if (held !== undefined && held > now) return false;
    this.#expiry.set(key, keepUntilMs);
    return true;
  }

  get size(): number {
    return this.#expiry.size;
  }

  /** Expired keys are dropped at most once a second, so a claim stays O(1) amortized. */
  #sweep(now: number): void {
    if (now < this.#nextSweepMs) return;
    this.#nextSweepMs = now + 1000;
    for (const [key, until] of this.#expiry) if (until <= now) this.#expiry.delete(key);
  }
}
