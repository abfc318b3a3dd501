import type { JsonValue } from "../../contracts/index.ts";
import { propertyKey } from "../naming.ts";
import { arrayLiteral, objectLiteral, tupleType, typeObject, union, type Doc } from "./doc.ts";

/** Object keys in UTF-16 code unit order, as canonical JSON sorts them. */
export function sortedKeys(value: object): string[] {
  return Object.keys(value).sort();
}

/**
 * A JSON value as a JavaScript expression, keys sorted. `__proto__` is written
 * as a computed key: as a plain key an object literal would set the prototype
 * instead of creating the property.
 */
export function jsonLiteral(value: JsonValue, replace?: (path: readonly string[]) => Doc | undefined): Doc {
  return literalAt(value, [], replace);
}

function literalAt(value: JsonValue, path: string[], replace?: (path: readonly string[]) => Doc | undefined): Doc {
  const replaced = replace?.(path);
  if (replaced !== undefined) return replaced;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return arrayLiteral(value.map((item, i) => literalAt(item, [...path, String(i)], replace)));
  return objectLiteral(
    sortedKeys(value).map((key) => [literalKey(key), literalAt(value[key]!, [...path, key], replace)] as const),
  );
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function literalKey(key: string): string {
  if (key === "__proto__") return `[${JSON.stringify(key)}]`;
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** A JSON value as the TypeScript type of exactly that value. */
export function jsonValueType(value: JsonValue): Doc {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    return tupleType(value.map((item) => jsonValueType(item)));
  }
  return typeObject(sortedKeys(value).map((key) => [propertyKey(key), jsonValueType(value[key]!)]));
}

/** The union of the literal types of `values`. */
export function valuesType(values: readonly JsonValue[]): Doc {
  return union(values.map(jsonValueType));
}
