/**
 * How the comparer treats each JSON Schema (2019-09) keyword.
 *
 * - annotations never change what a schema accepts, so they are ignored;
 * - modeled keywords are understood and compared precisely (`branch.ts`);
 * - independent keywords constrain the same instance without depending on
 *   their siblings, so an identical occurrence on both sides cancels out and
 *   an occurrence only on the side being included may be dropped (dropping a
 *   constraint from the included schema can only make it accept more);
 * - interacting keywords depend on their siblings or subschemas
 *   (`unevaluated*` looks at what other keywords evaluated), so they cannot be
 *   cancelled; on the including side they make a comparison unprovable unless
 *   the two schemas are identical.
 *
 * Unknown keywords are treated as independent: manifests hold draft 2019-09
 * schemas, whose interacting keywords are all listed here.
 */

export const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set([
  "$schema",
  "$id",
  "$anchor",
  "$comment",
  "$vocabulary",
  "$recursiveAnchor",
  "$defs",
  "definitions",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
]);

export const MODELED_KEYWORDS: ReadonlySet<string> = new Set([
  "type",
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "items",
  "additionalItems",
  "minItems",
  "maxItems",
  "uniqueItems",
  "properties",
  "additionalProperties",
  "patternProperties",
  "required",
  "minProperties",
  "maxProperties",
  "allOf",
  "anyOf",
  "oneOf",
]);

export const INTERACTING_KEYWORDS: ReadonlySet<string> = new Set([
  "unevaluatedProperties",
  "unevaluatedItems",
  "prefixItems",
  "$ref",
  "$recursiveRef",
  "$dynamicRef",
]);

/** Independent keywords that only make sense together are compared as one group. */
const KEYWORD_GROUPS: Readonly<Record<string, string>> = {
  then: "if",
  else: "if",
  minContains: "contains",
  maxContains: "contains",
};

export function keywordGroup(keyword: string): string {
  return KEYWORD_GROUPS[keyword] ?? keyword;
}

export type KeywordClass = "annotation" | "modeled" | "interacting" | "independent";

export function classifyKeyword(keyword: string): KeywordClass {
  if (ANNOTATION_KEYWORDS.has(keyword)) return "annotation";
  if (MODELED_KEYWORDS.has(keyword)) return "modeled";
  if (INTERACTING_KEYWORDS.has(keyword)) return "interacting";
  return "independent";
}
