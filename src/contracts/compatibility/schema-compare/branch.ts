import type { JsonValue } from "../../json/pure-json.ts";
import { ALL_TYPES, jsonTypeOf, keyOf } from "./values.ts";
import type { JsonSchema } from "../../manifest/types.ts";
import type { JsonType } from "./values.ts";

/**
 * A schema in disjunctive form: a list of branches, each a conjunction of
 * simple constraints, so that `allOf` merges into one branch and `anyOf`
 * splits into several. Subschemas (items, properties) stay raw and are
 * compared recursively; a conjunction of them is a list (`JsonSchema[]`).
 */

export type Bound = { value: number; exclusive: boolean };

/** One schema's object keywords; `additionalProperties` only makes sense next to its own `properties`. */
export type ObjectPart = {
  /** The schema has a `properties` keyword (it declares its fields). */
  declared: boolean;
  properties: Readonly<Record<string, JsonSchema>>;
  additional: JsonSchema | undefined;
  patterns: Readonly<Record<string, JsonSchema>> | undefined;
};

/** One schema's array keywords; `additionalItems` only makes sense next to its own tuple `items`. */
export type ArrayPart = {
  items: JsonSchema | readonly JsonSchema[] | undefined;
  additionalItems: JsonSchema | undefined;
};

export type Branch = {
  types: ReadonlySet<JsonType>;
  /** Numbers must be integers. */
  integer: boolean;
  /** A finite set of allowed values (`enum`, `const`), already filtered by `types`. */
  enum: readonly JsonValue[] | undefined;
  lower: Bound | undefined;
  upper: Bound | undefined;
  multipleOf: readonly number[];
  minLength: number;
  maxLength: number | undefined;
  patterns: readonly string[];
  formats: readonly string[];
  minItems: number;
  maxItems: number | undefined;
  uniqueItems: boolean;
  arrays: readonly ArrayPart[];
  minProperties: number;
  maxProperties: number | undefined;
  required: ReadonlySet<string>;
  objects: readonly ObjectPart[];
  /** Independent keywords (`not`, `propertyNames`, ...): group → canonical text of each occurrence. */
  independent: ReadonlyMap<string, readonly string[]>;
  /** Names of interacting keywords present (`unevaluatedProperties`, ...). */
  interacting: readonly string[];
};

export const FULL_BRANCH: Branch = {
  types: new Set(ALL_TYPES),
  integer: false,
  enum: undefined,
  lower: undefined,
  upper: undefined,
  multipleOf: [],
  minLength: 0,
  maxLength: undefined,
  patterns: [],
  formats: [],
  minItems: 0,
  maxItems: undefined,
  uniqueItems: false,
  arrays: [],
  minProperties: 0,
  maxProperties: undefined,
  required: new Set(),
  objects: [],
  independent: new Map(),
  interacting: [],
};

/** Drops enum values the branch's types exclude. */
export function finish(branch: Branch): Branch {
  if (branch.enum === undefined) return branch;
  return { ...branch, enum: branch.enum.filter((value) => admitsType(branch, value)) };
}

export function admitsType(branch: Branch, value: JsonValue): boolean {
  const type = jsonTypeOf(value);
  if (!branch.types.has(type)) return false;
  return !(type === "number" && branch.integer && !Number.isInteger(value));
}

export function tighterLower(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.value !== b.value) return a.value > b.value ? a : b;
  return a.exclusive ? a : b;
}

export function tighterUpper(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.value !== b.value) return a.value < b.value ? a : b;
  return a.exclusive ? a : b;
}

const minOf = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/** The conjunction of two branches. */
export function intersect(x: Branch, y: Branch): Branch {
  if (x === FULL_BRANCH) return y;
  if (y === FULL_BRANCH) return x;
  let enumValues: JsonValue[] | undefined;
  if (x.enum !== undefined && y.enum !== undefined) {
    const right = new Set(y.enum.map((value) => keyOf(value)));
    enumValues = x.enum.filter((value) => right.has(keyOf(value)));
  } else {
    enumValues = (x.enum ?? y.enum)?.slice();
  }
  const independent = new Map<string, string[]>();
  for (const source of [x.independent, y.independent]) {
    for (const [group, texts] of source) independent.set(group, [...(independent.get(group) ?? []), ...texts]);
  }
  return finish({
    types: new Set([...x.types].filter((type) => y.types.has(type))),
    integer: x.integer || y.integer,
    enum: enumValues,
    lower: tighterLower(x.lower, y.lower),
    upper: tighterUpper(x.upper, y.upper),
    multipleOf: [...x.multipleOf, ...y.multipleOf],
    minLength: Math.max(x.minLength, y.minLength),
    maxLength: minOf(x.maxLength, y.maxLength),
    patterns: [...new Set([...x.patterns, ...y.patterns])],
    formats: [...new Set([...x.formats, ...y.formats])],
    minItems: Math.max(x.minItems, y.minItems),
    maxItems: minOf(x.maxItems, y.maxItems),
    uniqueItems: x.uniqueItems || y.uniqueItems,
    arrays: [...x.arrays, ...y.arrays],
    minProperties: Math.max(x.minProperties, y.minProperties),
    maxProperties: minOf(x.maxProperties, y.maxProperties),
    required: new Set([...x.required, ...y.required]),
    objects: [...x.objects, ...y.objects],
    independent,
    interacting: [...x.interacting, ...y.interacting],
  });
}
