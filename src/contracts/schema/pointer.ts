/**
 * RFC 6901 JSON Pointers as manifests use them (contracts.md §2.7): params,
 * subject templates and transfer fields always point into a payload, so they
 * start with `/`; `~` may appear only as `~0` or `~1`.
 */

const BAD_ESCAPE = /~(?![01])/;

/**
 * The decoded reference tokens of an RFC 6901 pointer (`""` → `[]`), or
 * undefined if the text is not one. `~1` is decoded before `~0`, as the RFC
 * requires, so `~01` stays `~1`.
 */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/") || BAD_ESCAPE.test(pointer)) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** A pointer into a payload: valid RFC 6901 and not the root. */
export function isPayloadPointer(pointer: string): boolean {
  return pointer.startsWith("/") && !BAD_ESCAPE.test(pointer);
}

/** How messages describe a payload pointer. */
export const PAYLOAD_POINTER_FORM = "a JSON Pointer starting with '/', with '~' only as '~0' or '~1'";
