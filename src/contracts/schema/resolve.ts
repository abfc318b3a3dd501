import { err, ok, type Result } from "../result/result.ts";
import { isJsonObject } from "./json-type.ts";
import { parsePointer } from "./pointer.ts";

/**
 * The pointer check of contracts.md §2: does a JSON Pointer name a value of
 * the payload schema that can fill a subject token? Embedded schemas are
 * `unknown` here on purpose: they are arbitrary JSON. Recursion depth is
 * bounded because `rules/schemas.ts` rejects schemas nested too deeply before
 * any pointer is checked against them.
 */

export type Resolution = { found: boolean; leaves: unknown[] };

/**
 * `Resolve(s, segs)`: follows `properties`, every `allOf` branch (found if
 * any is) and every non-empty `anyOf`/`oneOf` (found only if every variant
 * is; leaves of the variants before the first failure still count). Arrays
 * are never traversed.
 */
export function resolvePointerInSchema(schema: unknown, segments: readonly string[]): Resolution {
  return resolveFrom(schema, segments, 0);
}

function resolveFrom(schema: unknown, segments: readonly string[], at: number): Resolution {
  if (at === segments.length) return { found: true, leaves: [schema] };
  if (!isJsonObject(schema)) return { found: false, leaves: [] };
  let found = false;
  const leaves: unknown[] = [];
  const take = (resolution: Resolution): boolean => {
    leaves.push(...resolution.leaves);
    return resolution.found;
  };

  const properties = schema.properties;
  const segment = segments[at]!;
  if (isJsonObject(properties) && Object.hasOwn(properties, segment)) {
    found = take(resolveFrom(properties[segment], segments, at + 1)) || found;
  }
  if (Array.isArray(schema.allOf)) {
    for (const branch of schema.allOf) found = take(resolveFrom(branch, segments, at)) || found;
  }
  for (const variants of [schema.anyOf, schema.oneOf]) {
    if (!Array.isArray(variants) || variants.length === 0) continue;
    let every = true;
    for (const variant of variants) {
      const resolution = resolveFrom(variant, segments, at);
      if (!resolution.found) {
        every = false;
        break;
      }
      take(resolution);
    }
    found = every || found;
  }
  return { found, leaves };
}

const SCALAR_TYPES = new Set(["string", "number", "integer"]);

/** `Tokenable(s)` of §2: the schema only admits strings and numbers. */
export function isTokenable(schema: unknown): boolean {
  if (!isJsonObject(schema)) return false;
  for (const combinator of ["allOf", "anyOf", "oneOf"] as const) {
    const members = schema[combinator];
    if (Array.isArray(members) && members.length > 0) return members.every(isTokenable);
  }
  if (isScalar(schema.const)) return true;
  if (Object.hasOwn(schema, "enum")) {
    const values = schema.enum;
    return Array.isArray(values) && values.length > 0 && values.every(isScalar);
  }
  const type = schema.type;
  if (typeof type === "string") return SCALAR_TYPES.has(type);
  if (Array.isArray(type)) return type.length > 0 && type.every((t) => typeof t === "string" && SCALAR_TYPES.has(t));
  return false;
}

function isScalar(value: unknown): boolean {
  return typeof value === "string" || typeof value === "number";
}

/**
 * The full check for a subject template or transfer pointer: a valid
 * pointer that resolves and whose every leaf is tokenable. With
 * `requireTokenable: false` only resolution is checked. The error says why.
 */
export function checkSchemaPointer(
  schema: unknown,
  pointer: string,
  options: { requireTokenable: boolean } = { requireTokenable: true },
): Result<void, string> {
  const segments = parsePointer(pointer);
  if (segments === undefined || segments.length === 0) return err("is not a JSON Pointer starting with '/'");
  const { found, leaves } = resolvePointerInSchema(schema, segments);
  if (!found) return err("does not resolve to a property of the schema");
  if (options.requireTokenable && !leaves.every(isTokenable)) {
    return err(
      "must resolve to a string or number schema (const, enum of strings/numbers, or type string/number/integer)",
    );
  }
  return ok();
}
