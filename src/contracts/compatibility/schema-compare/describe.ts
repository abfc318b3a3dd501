import type { Bound, Branch } from "./branch.ts";
import { emptyForType } from "./branch-parts.ts";
import { ALL_TYPES, type JsonType } from "./values.ts";

/** Short texts for comparison messages. */

/** How types are listed: the common ones first, `null` last ("string | null"). */
const DISPLAY_ORDER: readonly JsonType[] = ["string", "number", "boolean", "object", "array", "null"];

/** The types a set of branches admits: "string | null", "integer", "any", "nothing". */
export function describeTypes(branches: readonly Branch[]): string {
  const types = new Set<JsonType>();
  let integersOnly = true;
  for (const branch of branches) {
    for (const type of ALL_TYPES) {
      if (emptyForType(branch, type)) continue;
      types.add(type);
      if (type === "number" && !branch.integer) integersOnly = false;
    }
  }
  if (types.size === 0) return "nothing";
  if (types.size === ALL_TYPES.length && !integersOnly) return "any";
  return DISPLAY_ORDER.filter((type) => types.has(type))
    .map((type) => (type === "number" && integersOnly ? "integer" : type))
    .join(" | ");
}

export function describeLower(bound: Bound | undefined): string {
  return bound === undefined ? "none" : `${bound.exclusive ? ">" : ">="} ${bound.value}`;
}

export function describeUpper(bound: Bound | undefined): string {
  return bound === undefined ? "none" : `${bound.exclusive ? "<" : "<="} ${bound.value}`;
}

export function describeCount(count: number | undefined): string {
  return count === undefined ? "none" : String(count);
}
