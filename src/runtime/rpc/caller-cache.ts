import type { Caller } from "./request-authenticator.ts";

export type CallerCacheOptions = {
  /** How long a Validate answer may stand in for the session lookup (ms); at most 2000 (default). */
  ttlMs?: number;
  maxEntries?: number;
  nowMs?: () => number;
};

export const MAX_CALLER_TTL_MS = 2000;

type Entry = {
  caller: Caller;
  /** User sessions only: subjects Validate found among the session's delegated publish subjects. */
  subjects: Set<string>;
  expiresAtMs: number;
};

/**
 * The service side of the one cache auth.md §4 allows: the session/Caller
 * lookup (Validate steps 5-6), learned from Validate's own answers, for at
 * most 2 s, dropped on `Auth.Sessions.Revoked` and cleared on every
 * disconnect (revocations may have been missed meanwhile).
 *
 * A user session's step 7 also needs its delegated publish subjects, which
 * Validate does not return; an `allowed: true` answer proves the subject is
 * one of them, so the entry remembers such subjects and the fast path takes
 * only those. Facts added to an entry never extend its expiry: everything an
 * entry says is at most `ttlMs` old.
 */
export class CallerCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #nowMs: () => number;
  readonly #entries = new Map<string, Entry>();
  /** Bumped by every drop, so an answer that was in flight during a revocation is not stored after it. */
  #generation = 0;

  constructor(options: CallerCacheOptions = {}) {
    this.#ttlMs = Math.min(options.ttlMs ?? MAX_CALLER_TTL_MS, MAX_CALLER_TTL_MS);
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#nowMs = options.nowMs ?? Date.now;
  }

  get generation(): number {
    return this.#generation;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The caller for a request on `subject`, if a fresh entry covers it. */
  lookup(sessionKey: string, subject: string): Caller | undefined {
    const entry = this.#entries.get(sessionKey);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= this.#nowMs()) {
      this.#entries.delete(sessionKey);
      return undefined;
    }
    if (entry.caller.type === "user" && !entry.subjects.has(subject)) return undefined;
    return entry.caller;
  }

  /** Records a Validate answer, unless a revocation happened since `generation` was read. */
  remember(sessionKey: string, caller: Caller, subject: string, allowed: boolean, generation: number): void {
    if (generation !== this.#generation) return;
    const now = this.#nowMs();
    const previous = this.#entries.get(sessionKey);
    const live = previous !== undefined && previous.expiresAtMs > now ? previous : undefined;
    const subjects = new Set(live?.subjects);
    if (allowed) subjects.add(subject);
    if (live === undefined && this.#entries.size >= this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(sessionKey, { caller, subjects, expiresAtMs: live?.expiresAtMs ?? now + this.#ttlMs });
  }

  drop(sessionKey: string): void {
    this.#generation++;
    this.#entries.delete(sessionKey);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
