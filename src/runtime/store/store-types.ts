import type { AsyncResult, StoreError } from "../../contracts/index.ts";

/** What is known of a stored object (runtime-wire.md §6). */
export interface StoreInfo {
  readonly key: string;
  readonly size: number;
  /** When the object was last written (ISO-8601). */
  readonly updatedAt: string;
  /** `SHA-256=<base64url>` of the bytes. */
  readonly digest?: string;
  readonly contentType?: string;
  readonly metadata: { readonly [name: string]: string };
}

export interface StoreEntry {
  readonly info: StoreInfo;
  readonly data: Uint8Array;
}

export interface StorePutOptions {
  readonly contentType?: string;
  readonly metadata?: { readonly [name: string]: string };
}

export interface StoreWaitOptions {
  /** Default 30000 ms; then StoreError `timeout`. */
  readonly timeoutMs?: number;
  /** Default 250 ms. */
  readonly pollIntervalMs?: number;
  /** Aborting ends the wait with StoreError `aborted`. */
  readonly signal?: AbortSignal;
}

export interface StoreListOptions {
  readonly prefix?: string;
  /** Default 0. */
  readonly offset?: number;
  /** 1 to 500, default 100. */
  readonly limit?: number;
}

export interface StoreListPage {
  readonly entries: readonly StoreInfo[];
  /** Objects matching the prefix, all pages together. */
  readonly count: number;
  readonly offset: number;
  readonly limit: number;
  readonly nextOffset?: number;
}

export interface StoreStatus {
  readonly name: string;
  readonly bytes: number;
  readonly ttlMs: number;
  readonly maxTotalBytes?: number;
  readonly maxObjectBytes?: number;
}

export type StoreData = Uint8Array | string;

/** An opened store resource: bytes by key (keys may contain `/`). */
export interface OpenStore {
  /** Fails with StoreError `already_exists` when the key holds an object. */
  create(key: string, data: StoreData, options?: StorePutOptions): AsyncResult<StoreInfo, StoreError>;
  put(key: string, data: StoreData, options?: StorePutOptions): AsyncResult<StoreInfo, StoreError>;
  get(key: string): AsyncResult<StoreEntry, StoreError>;
  /** Polls until the key holds an object. */
  waitFor(key: string, options?: StoreWaitOptions): AsyncResult<StoreInfo, StoreError>;
  delete(key: string): AsyncResult<void, StoreError>;
  list(options?: StoreListOptions): AsyncResult<StoreListPage, StoreError>;
  status(): AsyncResult<StoreStatus, StoreError>;
}

/** `service.store.<alias>`: object stores carry bytes, so they are not typed by a schema. */
export interface ObjectStore {
  open(): AsyncResult<OpenStore, StoreError>;
}
