import canonicalize from "canonicalize";
import { ValidationError } from "../errors/builtin.ts";
import { err, ok, type Result } from "../result/result.ts";
import { findImpureJson, type JsonValue } from "./pure-json.ts";

/**
 * RFC 8785 canonical JSON, written by the `canonicalize` package. Impure
 * values (`-0`, which the package would write as `0`, non-finite numbers,
 * lone surrogates, non-JSON values, cycles) are refused up front.
 */
export function canonicalJson(value: unknown): Result<string, ValidationError> {
  const issues = findImpureJson(value);
  if (issues.length > 0) return err(new ValidationError(issues));
  try {
    return ok(canonicalJsonOfPure(value as JsonValue));
  } catch (error) {
    // The package recurses; only absurd nesting (thousands of levels) gets here.
    if (error instanceof RangeError)
      return err(new ValidationError([{ path: "", message: "nested too deeply to serialize" }]));
    throw error;
  }
}

/** JCS of a value already known to be pure JSON (a validated manifest, its projection). */
export function canonicalJsonOfPure(value: JsonValue): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("canonicalize returned nothing for a pure JSON value");
  return text;
}
