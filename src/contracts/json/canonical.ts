import canonicalize from "canonicalize";
import { ValidationError } from "../errors/builtin.ts";
import { err, ok, type Result } from "../result/result.ts";
import { findImpureJson } from "./pure-json.ts";

/**
 * RFC 8785 canonical JSON. `canonicalize` rejects non-finite numbers and lone
 * surrogates but writes `-0` as `0`, so impure values are refused up front.
 */
export function canonicalJson(value: unknown): Result<string, ValidationError> {
  const issues = findImpureJson(value);
  if (issues.length > 0) return err(new ValidationError(issues));
  const text = canonicalize(value);
  if (text === undefined) return err(new ValidationError([{ path: "", message: "value has no JSON form" }]));
  return ok(text);
}
