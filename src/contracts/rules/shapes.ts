import * as v from "valibot";
import type { ValidationIssue } from "../errors/builtin.ts";
import { pointerOf } from "../json/pure-json.ts";
import { ManifestSchema } from "../manifest/schema.ts";
import type { Manifest } from "../manifest/types.ts";
import { jsonTypeName } from "../schema/json-type.ts";
import { removeAtPaths, type LooseManifest } from "./loose.ts";

/**
 * §2.3: the valibot shapes, run with `abortEarly: false` so that every
 * problem is reported. Issues keep the messages given in `schema.ts`;
 * valibot's generic ones ("Invalid type: Expected string but received 5")
 * are rewritten to name the expected type. Besides the issues, the result
 * carries what the rules can still read (`loose`).
 */
export type ShapeCheck =
  | { ok: true; manifest: Manifest; loose: LooseManifest; issues: [] }
  | { ok: false; loose: LooseManifest; issues: ValidationIssue[] };

export function checkShapes(input: Record<string, unknown>): ShapeCheck {
  const result = v.safeParse(ManifestSchema, input, { abortEarly: false, message: describeGenericIssue });
  if (result.success) return { ok: true, manifest: result.output, loose: result.output, issues: [] };
  const paths = result.issues.map(issueTokens);
  // valibot's partial output matches the schema everywhere except at issue
  // paths; with those values removed it is a loose manifest.
  removeAtPaths(result.output, paths);
  const loose = result.output as LooseManifest;
  return {
    ok: false,
    loose,
    issues: result.issues.map((issue, index) => ({ path: pointerOf(paths[index]!), message: issue.message })),
  };
}

function issueTokens(issue: v.BaseIssue<unknown>): (string | number)[] {
  const tokens: (string | number)[] = [];
  for (const item of issue.path ?? []) {
    if (typeof item.key === "string" || typeof item.key === "number") tokens.push(item.key);
  }
  return tokens;
}

const EXPECTED_NAMES: Readonly<Record<string, string>> = { Array: "array", Object: "object" };

/** Only issues without a message of their own get here: type mismatches and missing members. */
function describeGenericIssue(issue: v.BaseIssue<unknown>): string {
  // JSON has no `undefined`, so an undefined input is a member that is absent.
  if (issue.input === undefined) return "is required";
  if (issue.kind === "schema" && issue.expected !== null) {
    const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
    return `expected ${expected}, got ${jsonTypeName(issue.input)}`;
  }
  return issue.expected === null ? `invalid value` : `invalid value: expected ${issue.expected}, got ${issue.received}`;
}
