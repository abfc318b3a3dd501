import type { ValidationIssue } from "../errors/builtin.ts";
import { pointerOf } from "../json/pure-json.ts";
import type { JsonSchema } from "../manifest/types.ts";
import type { DeclaredNames, Loose, LooseManifest } from "./loose.ts";

export type PathTokens = readonly (string | number)[];

export function issueAt(path: PathTokens, message: string): ValidationIssue {
  return { path: pointerOf(path), message };
}

/**
 * What the whole-manifest rules (contracts.md §2.4, §2.6–§2.11) see: the
 * manifest as far as its shapes hold (every member may be missing where a
 * shape failed), the names the raw input declares, and the embedded schemas
 * that passed §2.5 (pointer checks only walk those, so a broken schema
 * yields one issue, not a cascade).
 */
export type RuleContext = {
  manifest: LooseManifest;
  declared: DeclaredNames;
  soundSchemas: ReadonlyMap<string, Loose<JsonSchema>>;
};

export type ManifestRule = (context: RuleContext) => ValidationIssue[];
