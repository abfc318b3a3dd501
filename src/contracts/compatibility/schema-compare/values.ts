import { canonicalJsonOfPure } from "../../json/canonical.ts";
import type { JsonValue } from "../../json/pure-json.ts";
import type { JsonSchema } from "../../manifest/types.ts";

/** The JSON types a schema distinguishes; integers are numbers with a flag (`Branch.integer`). */
export type JsonType = "null" | "boolean" | "number" | "string" | "array" | "object";

export const ALL_TYPES: readonly JsonType[] = ["null", "boolean", "number", "string", "array", "object"];

/** The types whose values a branch can list exhaustively (`null`, `true`, `false`). */
export const FINITE_TYPES: readonly JsonType[] = ["null", "boolean"];

export type JsonObject = { [key: string]: JsonValue };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function jsonTypeOf(value: JsonValue): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
    default:
      return "object";
  }
}

/** Canonical text of a value (manifests hold pure JSON), for equality and sets. */
export function keyOf(value: JsonValue | JsonSchema | readonly JsonSchema[]): string {
  return canonicalJsonOfPure(value as JsonValue);
}

export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  return keyOf(a) === keyOf(b);
}

/** A value as messages show it, shortened. */
export function showValue(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}

export function showValues(values: readonly JsonValue[], max = 6): string {
  const shown = values.slice(0, max).map(showValue);
  if (values.length > max) shown.push(`… (${values.length - max} more)`);
  return shown.join(" | ");
}

/** Length of a string in code points, as JSON Schema counts it. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
