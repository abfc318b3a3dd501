import type { ObjectInfo } from "@nats-io/obj";
import type { StoreInfo } from "./store-types.ts";

const CONTENT_TYPE = "Content-Type";

/** `headers` is MsgHdrs on `info()` results and the raw record on `list()` entries. */
type HeaderSource = { get(name: string): string } | Record<string, string[]> | undefined;

function contentTypeOf(headers: HeaderSource): string | undefined {
  if (headers === undefined) return undefined;
  const value =
    typeof headers.get === "function"
      ? (headers as { get(name: string): string }).get(CONTENT_TYPE)
      : (headers as Record<string, string[]>)[CONTENT_TYPE]?.[0];
  return value === undefined || value === "" ? undefined : value;
}

/** The runtime-wire.md §6 info of a nats.js object info; the content type travels as a `Content-Type` header. */
export function storeInfoOf(info: ObjectInfo): StoreInfo {
  const contentType = contentTypeOf(info.headers as HeaderSource);
  return Object.freeze({
    key: info.name,
    size: info.size,
    updatedAt: info.mtime,
    ...(info.digest === "" ? {} : { digest: info.digest }),
    ...(contentType === undefined ? {} : { contentType }),
    metadata: Object.freeze({ ...(info.metadata ?? {}) }),
  });
}

export { CONTENT_TYPE };
