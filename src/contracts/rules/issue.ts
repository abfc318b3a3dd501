import type { ValidationIssue } from "../errors/builtin.ts";
import { pointerOf } from "../json/pure-json.ts";
import type { JsonSchema, Manifest } from "../manifest/types.ts";

export type PathTokens = readonly (string | number)[];

export function issueAt(path: PathTokens, message: string): ValidationIssue {
  return { path: pointerOf(path), message };
}

/**
 * What the whole-manifest rules (contracts.md §2.6–§2.11) see: a manifest
 * whose shapes are valid, and the embedded schemas that passed §2.5 (the
 * pointer checks only walk those, so a broken schema yields one issue, not
 * a cascade).
 */
export type RuleContext = {
  manifest: Manifest;
  soundSchemas: ReadonlyMap<string, JsonSchema>;
};

export type ManifestRule = (context: RuleContext) => ValidationIssue[];
