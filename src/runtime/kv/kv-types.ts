import type { AsyncResult, KVError, ValidationError } from "../../contracts/index.ts";

/** A value read from (or just written to) a kv resource; `revision` is the KV revision it was read at. */
export interface KvEntry<TValue> {
  readonly key: string;
  readonly value: TValue;
  readonly revision: number;
  /** When this revision was written (ISO-8601). */
  readonly updatedAt: string;
  /** `compareAndSet`: only if the key is still at `revision` (else KVError "revision mismatch"). */
  put(value: TValue, compareAndSet?: boolean): AsyncResult<KvEntry<TValue>, KVError | ValidationError>;
  delete(compareAndSet?: boolean): AsyncResult<void, KVError>;
}

export interface KvStatus {
  readonly bucket: string;
  /** Stored messages (values, delete markers and kept history). */
  readonly values: number;
  readonly bytes: number;
  readonly history: number;
  readonly ttlMs: number;
  readonly maxValueBytes?: number;
}

/** One change seen by `watch`: a value, or a key deleted or purged. */
export type KvChange<TValue> =
  | { readonly kind: "put"; readonly entry: KvEntry<TValue> }
  | { readonly kind: "delete"; readonly key: string; readonly revision: number };

/** Changes in arrival order; leaving the loop or `stop()` ends the watch. */
export interface KvWatch<TValue> extends AsyncIterable<KvChange<TValue>> {
  stop(): void;
}

export interface KvWatchOptions {
  /** Also deliver the current value of every matching key first (default true); false: updates only. */
  readonly includeCurrent?: boolean;
  readonly signal?: AbortSignal;
}

/** `service.kv.<alias>` (runtime-wire.md §6): JSON values checked against the alias's schema. */
export interface KvStore<TValue> {
  get(key: string): AsyncResult<KvEntry<TValue>, KVError | ValidationError>;
  /** Fails with KVError "exists" when the key holds a value (a deleted key may be created again). */
  create(key: string, value: TValue): AsyncResult<KvEntry<TValue>, KVError | ValidationError>;
  put(key: string, value: TValue): AsyncResult<KvEntry<TValue>, KVError | ValidationError>;
  delete(key: string): AsyncResult<void, KVError>;
  /** Keys holding a value, matching `filter` (`*` one token, `>` the rest). */
  keys(filter?: string): AsyncResult<AsyncIterable<string>, KVError>;
  watch(filter?: string, options?: KvWatchOptions): AsyncResult<KvWatch<TValue>, KVError>;
  status(): AsyncResult<KvStatus, KVError>;
}
