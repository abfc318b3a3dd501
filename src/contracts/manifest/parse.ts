import { ValidationError, type ValidationIssue } from "../errors/builtin.ts";
import { findImpureJson } from "../json/pure-json.ts";
import { err, ok, type Result } from "../result/result.ts";
import { runManifestRules } from "../rules/all.ts";
import { checkEmbeddedSchemas } from "../rules/schemas.ts";
import { checkShapes } from "../rules/shapes.ts";
import { findUnsupportedMembers } from "../rules/unsupported.ts";
import { isJsonObject, jsonTypeName } from "../schema/json-type.ts";
import type { JsonSchema, Manifest } from "./types.ts";

/**
 * Validates an untrusted manifest (contracts.md §2), in three layers:
 *
 * 1. the input must be a JSON object of pure JSON (§2.1); otherwise nothing
 *    else is checked, as the later layers assume JSON values;
 * 2. the checks that need only the raw input: unsupported members (§2.2),
 *    the valibot shapes (§2.3 with §2.4, subject syntax, capability entries)
 *    and the embedded schemas (§2.5);
 * 3. if the shapes hold, the whole-manifest rules (§2.6–§2.11).
 *
 * Every problem of a layer is reported, as `{ path, message }` with an
 * RFC 6901 pointer into the input, sorted by path. Never throws.
 */
export function parseManifest(input: unknown): Result<Manifest, ValidationError> {
  if (!isJsonObject(input)) return invalid([{ path: "", message: `a manifest must be a JSON object, got ${jsonTypeName(input)}` }]);
  const impure = readImpurities(input);
  if (impure.length > 0) return invalid(impure);

  const unsupported = findUnsupportedMembers(input);
  const schemas = checkEmbeddedSchemas(input.schemas);
  const shapes = checkShapes(input);
  const issues = [...unsupported, ...schemas.issues];
  if (!shapes.ok) {
    // `resources.jobs` is also an unknown key to the shapes; keep the clearer §2.2 issue.
    const refused = new Set(unsupported.map((issue) => issue.path));
    issues.push(...shapes.issues.filter((issue) => !refused.has(issue.path)));
  } else {
    issues.push(...runManifestRules({ manifest: shapes.manifest, soundSchemas: soundSchemas(shapes.manifest, schemas.unsound) }));
  }
  if (issues.length > 0 || !shapes.ok) return invalid(issues);
  return ok(shapes.manifest);
}

/**
 * The first full read of the input. JSON never throws when read, but a
 * JavaScript caller may hand over a throwing getter or proxy: that is an
 * invalid input, not a bug, so it becomes an issue.
 */
function readImpurities(input: Record<string, unknown>): ValidationIssue[] {
  try {
    return findImpureJson(input, Number.POSITIVE_INFINITY);
  } catch (error) {
    return [{ path: "", message: `not a pure JSON value: reading it threw (${error instanceof Error ? error.message : String(error)})` }];
  }
}

function soundSchemas(manifest: Manifest, unsound: ReadonlySet<string>): Map<string, JsonSchema> {
  return new Map(Object.entries(manifest.schemas ?? {}).filter(([name]) => !unsound.has(name)));
}

function invalid(issues: ValidationIssue[]): Result<never, ValidationError> {
  // Stable sort: issues at one path keep the order of the layers and rules.
  const sorted = [...issues].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return err(new ValidationError(sorted));
}
