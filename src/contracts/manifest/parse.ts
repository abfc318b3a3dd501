import { ValidationError, type ValidationIssue } from "../errors/builtin.ts";
import { findImpureJson } from "../json/pure-json.ts";
import { err, ok, type Result } from "../result/result.ts";
import { runManifestRules } from "../rules/all.ts";
import { declaredNames, entriesOf, type Loose, type LooseManifest } from "../rules/loose.ts";
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
 * 2. the checks of the raw input: unsupported members (§2.2), the valibot
 *    shapes (§2.3) and the embedded schemas (§2.5);
 * 3. the whole-manifest rules (§2.4, §2.6–§2.11), on what the shapes could
 *    read. A rule finding at or above a path with a shape issue is dropped:
 *    the shape issue already explains it.
 *
 * Every problem is reported, as `{ path, message }` with an RFC 6901 pointer
 * into the input, sorted by path. Never throws.
 */
export function parseManifest(input: unknown): Result<Manifest, ValidationError> {
  if (!isJsonObject(input))
    return invalid([{ path: "", message: `a manifest must be a JSON object, got ${jsonTypeName(input)}` }]);
  const impure = readImpurities(input);
  if (impure.length > 0) return invalid(impure);

  const unsupported = findUnsupportedMembers(input);
  const schemas = checkEmbeddedSchemas(input.schemas);
  const shapes = checkShapes(input);
  // `resources.jobs` is also an unknown key to the strict `resources` shape; keep the clearer §2.2 issue.
  const refused = new Set(unsupported.map((issue) => issue.path));
  const shapeIssues = shapes.issues.filter((issue) => !refused.has(issue.path));
  const explained = pathsAndAncestors([...unsupported, ...schemas.issues, ...shapeIssues]);
  const ruleIssues = runManifestRules({
    manifest: shapes.loose,
    declared: declaredNames(input),
    soundSchemas: soundSchemas(shapes.loose, schemas.unsound),
  }).filter((issue) => !explained.has(issue.path));

  const issues = [...unsupported, ...schemas.issues, ...shapeIssues, ...ruleIssues];
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
    return [
      {
        path: "",
        message: `not a pure JSON value: reading it threw (${error instanceof Error ? error.message : String(error)})`,
      },
    ];
  }
}

function soundSchemas(manifest: LooseManifest, unsound: ReadonlySet<string>): Map<string, Loose<JsonSchema>> {
  return new Map(entriesOf(manifest.schemas).filter(([name]) => !unsound.has(name)));
}

/** Every issue path and each of its ancestors (`/a/b/c` → `/a/b/c`, `/a/b`, `/a`, ``). */
function pathsAndAncestors(issues: readonly ValidationIssue[]): Set<string> {
  const paths = new Set<string>();
  for (const { path } of issues) {
    for (let end = path.length; end >= 0; end = path.lastIndexOf("/", end - 1)) {
      const prefix = path.slice(0, end);
      if (paths.has(prefix)) break;
      paths.add(prefix);
      if (end === 0) break;
    }
  }
  return paths;
}

function invalid(issues: ValidationIssue[]): Result<never, ValidationError> {
  // Stable sort: issues at one path keep the order of the layers and rules.
  const sorted = [...issues].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return err(new ValidationError(sorted));
}
