import { ok, type Result } from "../../contracts/index.ts";
import type { AuthenticationError, Caller } from "./request-authenticator.ts";

/** A session's principal as Validate steps 5-6 find it (auth.md §4). */
export type Principal = {
  caller: Caller;
  /** User sessions only: the subjects the session may publish to (step 7 matches the request subject). */
  delegatedPublishSubjects?: readonly string[];
};

/**
 * Steps 5-6 of Validate: the session behind a session key and its principal
 * checks. Denials are AuthErrors with auth.md §8 reasons (`session_not_found`,
 * `session_expired`, `user_inactive`, ...). The control plane implements it
 * over its KV records; tests over a table.
 */
export interface PrincipalLookup {
  lookup(sessionKey: string): Promise<Result<Principal, AuthenticationError>>;
}

export type CachedPrincipalLookupOptions = {
  /** auth.md §4 allows "at most a few seconds". */
  ttlMs?: number;
  maxEntries?: number;
};

export const DEFAULT_PRINCIPAL_TTL_MS = 2000;

/**
 * The one cache auth.md §4 allows: the session/Caller lookup, for a few
 * seconds, dropped on revocation (`drop`, wired to
 * `events.v1.Auth.Sessions.Revoked` by `dropOnRevocation`). Only successful
 * lookups are kept, so a session that appears is seen at once; and the
 * proof and replay checks around it run on every request regardless.
 */
export class CachedPrincipalLookup implements PrincipalLookup {
  readonly #inner: PrincipalLookup;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { principal: Principal; expiresAtMs: number }>();
  /** Bumped by every drop, so a lookup that started before a revocation is not cached after it. */
  #generation = 0;

  constructor(inner: PrincipalLookup, options: CachedPrincipalLookupOptions = {}) {
    this.#inner = inner;
    this.#ttlMs = Math.min(options.ttlMs ?? DEFAULT_PRINCIPAL_TTL_MS, 5000);
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  async lookup(sessionKey: string): Promise<Result<Principal, AuthenticationError>> {
    const cached = this.#entries.get(sessionKey);
    if (cached !== undefined && cached.expiresAtMs > Date.now()) {
      return ok(cached.principal);
    }
    const generation = this.#generation;
    const found = await this.#inner.lookup(sessionKey);
    if (found.isOk() && generation === this.#generation) {
      if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(sessionKey, { principal: found.value, expiresAtMs: Date.now() + this.#ttlMs });
    }
    return found;
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
