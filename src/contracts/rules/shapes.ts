import * as v from "valibot";
import type { ValidationIssue } from "../errors/builtin.ts";
import { pointerOf } from "../json/pure-json.ts";
import { ManifestSchema } from "../manifest/schema.ts";
import type { Manifest } from "../manifest/types.ts";
import { jsonTypeName } from "../schema/json-type.ts";

/**
 * §2.3 (and the local parts of §2.4, §2.7, §2.9): the valibot shapes, run
 * with `abortEarly: false` so that every problem is reported. Issues keep
 * the messages given in `schema.ts`; valibot's generic ones ("Invalid type:
 * Expected string but received 5") are rewritten to name the expected type.
 */
export type ShapeCheck = { ok: true; manifest: Manifest } | { ok: false; issues: ValidationIssue[] };

export function checkShapes(input: unknown): ShapeCheck {
  const result = v.safeParse(ManifestSchema, input, { abortEarly: false, message: describeGenericIssue });
  if (result.success) return { ok: true, manifest: result.output };
  return { ok: false, issues: result.issues.map((issue) => ({ path: issuePointer(issue), message: issue.message })) };
}

function issuePointer(issue: v.BaseIssue<unknown>): string {
  const tokens: (string | number)[] = [];
  for (const item of issue.path ?? []) {
    if (typeof item.key === "string" || typeof item.key === "number") tokens.push(item.key);
  }
  return pointerOf(tokens);
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
