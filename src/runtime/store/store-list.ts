import { err, ok, type Result, type StoreError } from "../../contracts/index.ts";
import { storeError } from "./store-errors.ts";
import type { StoreInfo, StoreListOptions, StoreListPage } from "./store-types.ts";

export const MAX_LIST_LIMIT = 500;
export const DEFAULT_LIST_LIMIT = 100;

/** The §6 list arguments checked: `invalid_limit`, `limit_exceeded`, `invalid_offset`. */
export function listBounds(options: StoreListOptions): Result<{ offset: number; limit: number }, StoreError> {
  const { offset = 0, limit = DEFAULT_LIST_LIMIT } = options;
  if (!Number.isSafeInteger(limit) || limit < 1) return err(storeError("list", "invalid_limit", { limit }));
  if (limit > MAX_LIST_LIMIT) return err(storeError("list", "limit_exceeded", { limit, maxLimit: MAX_LIST_LIMIT }));
  if (!Number.isSafeInteger(offset) || offset < 0) return err(storeError("list", "invalid_offset", { offset }));
  return ok({ offset, limit });
}

/** One page of the objects under `prefix`, in key order (UTF-16 code units, as JS sorts). */
export function listPage(
  infos: readonly StoreInfo[],
  prefix: string | undefined,
  bounds: { offset: number; limit: number },
): StoreListPage {
  const matching = infos
    .filter((info) => prefix === undefined || info.key.startsWith(prefix))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const end = bounds.offset + bounds.limit;
  return {
    entries: matching.slice(bounds.offset, end),
    count: matching.length,
    offset: bounds.offset,
    limit: bounds.limit,
    ...(end < matching.length ? { nextOffset: end } : {}),
  };
}
