/** A token bucket: `burst` tokens, refilled at `ratePerSecond`. */
class TokenBucket {
  #tokens: number;
  #updatedMs: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.#tokens = burst;
    this.#updatedMs = nowMs;
  }

  take(nowMs: number): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((nowMs - this.#updatedMs) / 1000) * this.ratePerSecond);
    this.#updatedMs = nowMs;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  full(nowMs: number): boolean {
    return this.#tokens + ((nowMs - this.#updatedMs) / 1000) * this.ratePerSecond >= this.burst;
  }
}

export type Rate = { ratePerSecond: number; burst: number };

const MAX_TRACKED = 50_000;

/**
 * Admission control of the callout (auth.md §5 step 2): per client IP and
 * per NATS server, before any signature is checked, so a flood of bogus
 * connects costs a map lookup. Per replica: N replicas admit up to N times
 * the rate, which is the point of the limit (protecting the responder), not
 * an exact global quota.
 */
export class Admission {
  readonly #hosts = new Map<string, TokenBucket>();
  readonly #servers = new Map<string, TokenBucket>();

  constructor(
    private readonly perHost: Rate,
    private readonly perServer: Rate,
  ) {}

  /** The host first: one noisy address must not spend the whole server's allowance. */
  admit(host: string | undefined, serverId: string, nowMs: number = Date.now()): boolean {
    if (host !== undefined && !this.#bucket(this.#hosts, host, this.perHost, nowMs).take(nowMs)) return false;
    return this.#bucket(this.#servers, serverId, this.perServer, nowMs).take(nowMs);
  }

  #bucket(map: Map<string, TokenBucket>, key: string, rate: Rate, nowMs: number): TokenBucket {
    let bucket = map.get(key);
    if (bucket === undefined) {
      if (map.size >= MAX_TRACKED) this.#prune(map, nowMs);
      bucket = new TokenBucket(rate.ratePerSecond, rate.burst, nowMs);
      map.set(key, bucket);
    }
    return bucket;
  }

  /** Full buckets carry no information: dropping them keeps memory bounded under a spray of addresses. */
  #prune(map: Map<string, TokenBucket>, nowMs: number): void {
    for (const [key, bucket] of map) if (bucket.full(nowMs)) map.delete(key);
    if (map.size >= MAX_TRACKED) map.clear();
  }
}
