import { ValidationError } from "../errors/builtin.ts";
import { err, ok, type Result } from "../result/result.ts";
import { findImpureJson, type JsonValue } from "./pure-json.ts";

/**
 * RFC 8785 canonical JSON. Impure values (`-0`, non-finite numbers, lone
 * surrogates, non-JSON values) are refused up front, so what remains
 * serializes exactly as ECMAScript `JSON.stringify` writes scalars.
 */
export function canonicalJson(value: unknown): Result<string, ValidationError> {
  const issues = findImpureJson(value);
  if (issues.length > 0) return err(new ValidationError(issues));
  return ok(canonicalJsonOfPure(value as JsonValue));
}

/**
 * JCS of a value already known to be pure JSON (a validated manifest, its
 * projection), without checking it again: members sorted by UTF-16 code
 * units, no whitespace, scalars as `JSON.stringify` writes them.
 *
 * Fast path: copy the value with every object's keys inserted in sorted
 * order and let the native `JSON.stringify` write it. JavaScript objects list
 * integer-like keys first whatever the insertion order, so a value holding
 * one (`{"10": .., "9": ..}`) is written by hand instead.
 */
export function canonicalJsonOfPure(value: JsonValue): string {
  const sorted = sortedCopy(value);
  return sorted === INTEGER_KEY ? writeCanonical(value) : JSON.stringify(sorted);
}

const INTEGER_KEY: unique symbol = Symbol("integer-like key");
const INTEGER_LIKE = /^(?:0|[1-9][0-9]*)$/;

function sortedCopy(value: JsonValue): JsonValue | typeof INTEGER_KEY {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const copy = sortedCopy(item);
      if (copy === INTEGER_KEY) return INTEGER_KEY;
      items.push(copy);
    }
    return items;
  }
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value).sort()) {
    if (isDigit(key.charCodeAt(0)) && INTEGER_LIKE.test(key)) return INTEGER_KEY;
    const copy = sortedCopy(value[key]!);
    if (copy === INTEGER_KEY) return INTEGER_KEY;
    // An own `__proto__` member must be defined: assigning it would set the prototype.
    if (key === "__proto__") Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

function writeCanonical(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(writeCanonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) out += ",";
    out += `${JSON.stringify(key)}:${writeCanonical(value[key]!)}`;
  }
  return `${out}}`;
}
