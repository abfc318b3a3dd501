import type { JsonValue } from "../../json/pure-json.ts";
import type { JsonSchema } from "../../manifest/types.ts";
import { FULL_BRANCH, intersect, type Branch } from "./branch.ts";
import { emptyForType, propertySchemas } from "./branch-parts.ts";
import { isSchema, readBranch } from "./read-schema.ts";
import { ALL_TYPES, keyOf } from "./values.ts";

/** Distributing `allOf`, `anyOf` and `oneOf` into branches. */

export type Branches = { ok: true; branches: Branch[] } | { ok: false; why: string };

/**
 * Which side of an inclusion a schema is on. The included side may be
 * over-approximated (`oneOf` read as `anyOf`); the including side may not.
 */
export type Side = "included" | "including";

/** Beyond this many branches (anyOf of anyOfs) a comparison is not attempted. */
export const MAX_BRANCHES = 64;

/** The branches of a conjunction of schemas. */
export function branchesOf(schemas: readonly JsonSchema[], side: Side): Branches {
  let result: Branch[] = [FULL_BRANCH];
  for (const schema of schemas) {
    const next = branchesOfSchema(schema, side);
    if (!next.ok) return next;
    const product = intersectAll(result, next.branches);
    if (!product.ok) return product;
    result = product.branches;
  }
  return { ok: true, branches: result };
}

function branchesOfSchema(schema: JsonSchema, side: Side): Branches {
  if (schema === true) return { ok: true, branches: [FULL_BRANCH] };
  if (schema === false) return { ok: true, branches: [] };
  const base = readBranch(schema);
  if (typeof base === "string") return { ok: false, why: base };
  let result: Branch[] = [base];

  const allOf = schemaList(schema, "allOf");
  const anyOf = schemaList(schema, "anyOf");
  const oneOf = schemaList(schema, "oneOf");
  if (typeof allOf === "string") return { ok: false, why: allOf };
  if (typeof anyOf === "string") return { ok: false, why: anyOf };
  if (typeof oneOf === "string") return { ok: false, why: oneOf };

  const conjuncts: Branches[] = [];
  if (allOf !== undefined) conjuncts.push(branchesOf(allOf, side));
  if (anyOf !== undefined) conjuncts.push(unionOf(anyOf, side));
  if (oneOf !== undefined) conjuncts.push(exclusiveUnionOf(oneOf, side));
  for (const conjunct of conjuncts) {
    if (!conjunct.ok) return conjunct;
    const product = intersectAll(result, conjunct.branches);
    if (!product.ok) return product;
    result = product.branches;
  }
  return { ok: true, branches: result };
}

function unionOf(schemas: readonly JsonSchema[], side: Side): Branches {
  const branches: Branch[] = [];
  for (const schema of schemas) {
    const variant = branchesOfSchema(schema, side);
    if (!variant.ok) return variant;
    branches.push(...variant.branches);
    if (branches.length > MAX_BRANCHES) return { ok: false, why: `more than ${MAX_BRANCHES} alternatives` };
  }
  return { ok: true, branches };
}

/**
 * `oneOf` accepts values matching exactly one variant. Included, it is at most
 * its `anyOf`; including, it equals its `anyOf` only when no two variants can
 * match the same value, which is checked conservatively.
 */
function exclusiveUnionOf(schemas: readonly JsonSchema[], side: Side): Branches {
  const variants: Branch[][] = [];
  for (const schema of schemas) {
    const variant = branchesOfSchema(schema, side);
    if (!variant.ok) return variant;
    variants.push(variant.branches);
  }
  if (side === "including") {
    for (let i = 0; i < variants.length; i++) {
      for (let j = i + 1; j < variants.length; j++) {
        for (const x of variants[i]!) {
          for (const y of variants[j]!) {
            if (!branchesDisjoint(x, y)) return { ok: false, why: `oneOf variants ${i} and ${j} may overlap` };
          }
        }
      }
    }
  }
  const branches = variants.flat();
  if (branches.length > MAX_BRANCHES) return { ok: false, why: `more than ${MAX_BRANCHES} alternatives` };
  return { ok: true, branches };
}

function intersectAll(left: readonly Branch[], right: readonly Branch[]): Branches {
  if (left.length * right.length > MAX_BRANCHES) return { ok: false, why: `more than ${MAX_BRANCHES} alternatives` };
  const branches: Branch[] = [];
  for (const x of left) for (const y of right) branches.push(intersect(x, y));
  return { ok: true, branches };
}

function schemaList(schema: Record<string, unknown>, keyword: string): JsonSchema[] | string | undefined {
  if (!Object.hasOwn(schema, keyword)) return undefined;
  const list = schema[keyword];
  if (!Array.isArray(list) || list.length === 0 || !list.every(isSchema))
    return `'${keyword}' is not a non-empty list of schemas`;
  return list;
}

/** A conservative test that no value matches both branches (used to read `oneOf` as `anyOf`). */
export function branchesDisjoint(x: Branch, y: Branch): boolean {
  const shared = ALL_TYPES.filter((type) => !emptyForType(x, type) && !emptyForType(y, type));
  if (shared.length === 0) return true;
  if (x.enum !== undefined && y.enum !== undefined) {
    const right = new Set(y.enum.map((value) => keyOf(value)));
    if (!x.enum.some((value) => right.has(keyOf(value)))) return true;
  }
  if (shared.every((type) => type === "object")) {
    for (const name of x.required) {
      if (!y.required.has(name)) continue;
      const left = finiteValuesOf(propertySchemas(x, name));
      const right = finiteValuesOf(propertySchemas(y, name));
      if (left === undefined || right === undefined) continue;
      const keys = new Set(right.map((value) => keyOf(value)));
      if (!left.some((value) => keys.has(keyOf(value)))) return true;
    }
  }
  return false;
}

/** All values a conjunction admits when it is an enum or const in every branch, else undefined. */
function finiteValuesOf(schemas: readonly JsonSchema[]): JsonValue[] | undefined {
  const branches = branchesOf(schemas, "included");
  if (!branches.ok) return undefined;
  const values: JsonValue[] = [];
  for (const branch of branches.branches) {
    if (branch.enum === undefined) return undefined;
    values.push(...branch.enum);
  }
  return values;
}
