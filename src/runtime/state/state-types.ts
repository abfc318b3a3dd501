import type {
  AsyncResult,
  AuthError,
  KVError,
  RemoteError,
  TransportError,
  UnexpectedError,
  ValidationError,
} from "../../contracts/index.ts";

/** One entry of a state store (runtime-wire.md §6); `revision` is the KV revision as a decimal string. */
export interface StateEntry<TValue> {
  readonly key?: string;
  readonly value: TValue;
  readonly revision: string;
  readonly updatedAt: string;
  readonly expiresAt?: string;
}

export interface StateWriteOptions {
  /** Omitted: unconditional; `null`: only if absent; a revision: only if the entry is still at it. */
  readonly expectedRevision?: string | null;
  /** The entry expires (reads as absent) this long after the write. */
  readonly ttlMs?: number;
}

export interface StateDeleteOptions {
  readonly expectedRevision?: string;
}

export type StatePutResult<TValue> =
  | { readonly applied: true; readonly entry: StateEntry<TValue> }
  | { readonly applied: false; readonly found: boolean; readonly entry?: StateEntry<TValue> };

/**
 * A read: absent, current, or written under another `stateVersion` of the
 * store (its value follows that version's schema, so it is not typed here).
 */
export type StateRead<TValue> =
  | { readonly found: false; readonly migrationRequired?: never }
  | { readonly found: true; readonly migrationRequired: false; readonly entry: StateEntry<TValue> }
  | {
      readonly found: true;
      readonly migrationRequired: true;
      readonly entry: StateEntry<unknown>;
      readonly stateVersion: string;
      readonly currentStateVersion: string;
      readonly writerContractDigest: string;
    };

export interface StateListOptions {
  /** Only map keys starting with it. */
  readonly prefix?: string;
  readonly offset?: number;
  /** 1 to 100, default 100. */
  readonly limit?: number;
}

export interface StateListPage<TValue> {
  readonly entries: readonly StateEntry<TValue>[];
  readonly count: number;
  readonly offset: number;
  readonly limit: number;
  readonly nextOffset?: number;
}

export type StateError = ValidationError | KVError | AuthError | TransportError | RemoteError | UnexpectedError;

/** `client.state.<store>` of a `kind: "value"` store. */
export interface ValueState<TValue> {
  get(): AsyncResult<StateRead<TValue>, StateError>;
  put(value: TValue, options?: StateWriteOptions): AsyncResult<StatePutResult<TValue>, StateError>;
  /** `Ok(true)` when an entry was deleted. */
  delete(options?: StateDeleteOptions): AsyncResult<boolean, StateError>;
}

/** `client.state.<store>` of a `kind: "map"` store. */
export interface MapState<TValue> {
  get(key: string): AsyncResult<StateRead<TValue>, StateError>;
  put(key: string, value: TValue, options?: StateWriteOptions): AsyncResult<StatePutResult<TValue>, StateError>;
  delete(key: string, options?: StateDeleteOptions): AsyncResult<boolean, StateError>;
  /** Current-version entries in key order. */
  list(options?: StateListOptions): AsyncResult<StateListPage<TValue>, StateError>;
}
