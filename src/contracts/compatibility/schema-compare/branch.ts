import type { JsonValue } from "../../json/pure-json.ts";
import type { JsonSchema } from "../../manifest/types.ts";
import { classifyKeyword, keywordGroup } from "./keywords.ts";
import { ALL_TYPES, isObject, jsonEqual, jsonTypeOf, keyOf, type JsonType } from "./values.ts";

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

export type Branches = { ok: true; branches: Branch[] } | { ok: false; why: string };

/**
 * Which side of an inclusion a schema is on. The included side may be
 * over-approximated (`oneOf` read as `anyOf`); the including side may not.
 */
export type Side = "included" | "including";

/** Beyond this many branches (anyOf of anyOfs) a comparison is not attempted. */
export const MAX_BRANCHES = 64;

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
  const base = baseBranch(schema);
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

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "boolean" || isObject(value);
}

const TYPE_NAMES: ReadonlySet<string> = new Set(["null", "boolean", "integer", "number", "string", "array", "object"]);

/** The branch of one schema object's own keywords (composition keywords excluded), or why it cannot be read. */
function baseBranch(schema: Record<string, unknown>): Branch | string {
  const bad = (keyword: string) => `'${keyword}' has a value the comparer does not understand`;
  let types: Set<JsonType> = new Set(ALL_TYPES);
  let integer = false;
  if (Object.hasOwn(schema, "type")) {
    const raw = schema.type;
    const names = typeof raw === "string" ? [raw] : raw;
    if (!Array.isArray(names) || !names.every((n) => typeof n === "string" && TYPE_NAMES.has(n))) return bad("type");
    types = new Set();
    for (const name of names as string[]) types.add(name === "integer" ? "number" : (name as JsonType));
    integer = names.includes("integer") && !names.includes("number");
  }

  let enumValues: JsonValue[] | undefined;
  if (Object.hasOwn(schema, "enum")) {
    if (!Array.isArray(schema.enum)) return bad("enum");
    enumValues = schema.enum as JsonValue[];
  }
  if (Object.hasOwn(schema, "const")) {
    const constant = schema.const as JsonValue;
    enumValues = enumValues === undefined ? [constant] : enumValues.filter((v) => jsonEqual(v, constant));
  }

  const numberAt = (keyword: string): number | undefined | null => {
    if (!Object.hasOwn(schema, keyword)) return undefined;
    const value = schema[keyword];
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  };
  const countAt = (keyword: string): number | undefined | null => {
    const value = numberAt(keyword);
    return value === null || (value !== undefined && (!Number.isInteger(value) || value < 0)) ? null : value;
  };

  let lower: Bound | undefined;
  let upper: Bound | undefined;
  for (const [keyword, exclusive] of [
    ["minimum", false],
    ["exclusiveMinimum", true],
  ] as const) {
    const value = numberAt(keyword);
    if (value === null) return bad(keyword);
    if (value !== undefined) lower = tighterLower(lower, { value, exclusive });
  }
  for (const [keyword, exclusive] of [
    ["maximum", false],
    ["exclusiveMaximum", true],
  ] as const) {
    const value = numberAt(keyword);
    if (value === null) return bad(keyword);
    if (value !== undefined) upper = tighterUpper(upper, { value, exclusive });
  }
  const multipleOf = numberAt("multipleOf");
  if (multipleOf === null || (multipleOf !== undefined && multipleOf <= 0)) return bad("multipleOf");

  const counts: Record<string, number | undefined> = {};
  for (const keyword of ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]) {
    const value = countAt(keyword);
    if (value === null) return bad(keyword);
    counts[keyword] = value;
  }

  const strings = (keyword: string): string[] | string => {
    if (!Object.hasOwn(schema, keyword)) return [];
    const value = schema[keyword];
    return typeof value === "string" ? [value] : bad(keyword);
  };
  const patterns = strings("pattern");
  const formats = strings("format");
  if (typeof patterns === "string") return patterns;
  if (typeof formats === "string") return formats;

  if (Object.hasOwn(schema, "uniqueItems") && typeof schema.uniqueItems !== "boolean") return bad("uniqueItems");

  const arrays: ArrayPart[] = [];
  if (Object.hasOwn(schema, "items") || Object.hasOwn(schema, "additionalItems")) {
    const items = schema.items;
    const additionalItems = schema.additionalItems;
    if (items !== undefined && !isSchema(items) && !(Array.isArray(items) && items.every(isSchema)))
      return bad("items");
    if (additionalItems !== undefined && !isSchema(additionalItems)) return bad("additionalItems");
    arrays.push({ items: items as ArrayPart["items"], additionalItems: additionalItems as JsonSchema | undefined });
  }

  const objects: ObjectPart[] = [];
  if (["properties", "additionalProperties", "patternProperties"].some((keyword) => Object.hasOwn(schema, keyword))) {
    const properties = schema.properties ?? {};
    const patternProperties = schema.patternProperties;
    const additional = schema.additionalProperties;
    if (!isSchemaMap(properties)) return bad("properties");
    if (patternProperties !== undefined && !isSchemaMap(patternProperties)) return bad("patternProperties");
    if (additional !== undefined && !isSchema(additional)) return bad("additionalProperties");
    objects.push({
      declared: Object.hasOwn(schema, "properties"),
      properties,
      additional: additional as JsonSchema | undefined,
      patterns: patternProperties as Record<string, JsonSchema> | undefined,
    });
  }

  let required: Set<string> = new Set();
  if (Object.hasOwn(schema, "required")) {
    const list = schema.required;
    if (!Array.isArray(list) || !list.every((name) => typeof name === "string")) return bad("required");
    required = new Set(list as string[]);
  }

  const independent = new Map<string, string[]>();
  const interacting: string[] = [];
  for (const keyword of Object.keys(schema)) {
    const kind = classifyKeyword(keyword);
    if (kind === "interacting") interacting.push(keyword);
    if (kind !== "independent") continue;
    const group = keywordGroup(keyword);
    if (independent.has(group)) continue;
    independent.set(group, [groupText(schema, group)]);
  }

  return finish({
    types,
    integer,
    enum: enumValues,
    lower,
    upper,
    multipleOf: multipleOf === undefined ? [] : [multipleOf],
    minLength: counts.minLength ?? 0,
    maxLength: counts.maxLength,
    patterns,
    formats,
    minItems: counts.minItems ?? 0,
    maxItems: counts.maxItems,
    uniqueItems: schema.uniqueItems === true,
    arrays,
    minProperties: counts.minProperties ?? 0,
    maxProperties: counts.maxProperties,
    required,
    objects,
    independent,
    interacting,
  });
}

function isSchemaMap(value: unknown): value is Record<string, JsonSchema> {
  return isObject(value) && Object.values(value).every(isSchema);
}

/** Canonical text of an independent keyword group of one schema (`if` with its `then`/`else`). */
function groupText(schema: Record<string, unknown>, group: string): string {
  const members = Object.keys(schema).filter((keyword) => keywordGroup(keyword) === group);
  const picked: Record<string, JsonValue> = {};
  for (const keyword of members) picked[keyword] = schema[keyword] as JsonValue;
  return keyOf(picked);
}

/** Drops enum values the branch's types exclude. */
function finish(branch: Branch): Branch {
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

/**
 * Objects as Trellis senders produce them (runtime-wire.md §0, §1.1): a
 * value is encoded with its schema, so an object schema that declares
 * `properties` and says nothing about other properties (valibot's
 * `v.object`) never carries undeclared ones, and receivers ignore unknown
 * properties anyway.
 */
export function wireClosed(branch: Branch): boolean {
  return (
    branch.objects.length > 0 &&
    branch.objects.every((part) => part.declared && part.additional === undefined && part.patterns === undefined)
  );
}

export function declaredNames(branch: Branch): Set<string> {
  const names = new Set<string>();
  for (const part of branch.objects) for (const name of Object.keys(part.properties)) names.add(name);
  return names;
}

/** The conjunction of schemas constraining property `name` of an object branch. */
export function propertySchemas(branch: Branch, name: string): JsonSchema[] {
  return branch.objects.map((part) =>
    Object.hasOwn(part.properties, name) ? part.properties[name]! : (part.additional ?? true),
  );
}

/** The conjunction of schemas constraining the properties no part names. */
export function otherPropertySchemas(branch: Branch): JsonSchema[] {
  return branch.objects.map((part) => part.additional ?? true);
}

/** The conjunction of schemas constraining array element `index`. */
export function itemSchemas(branch: Branch, index: number): JsonSchema[] {
  return branch.arrays.map((part) =>
    Array.isArray(part.items)
      ? index < part.items.length
        ? part.items[index]!
        : (part.additionalItems ?? true)
      : ((part.items as JsonSchema | undefined) ?? true),
  );
}

/** Length of the longest tuple form among the branch's array parts. */
export function tupleLength(branch: Branch): number {
  return Math.max(0, ...branch.arrays.map((part) => (Array.isArray(part.items) ? part.items.length : 0)));
}

/** The conjunction of schemas constraining elements after every tuple position. */
export function restItemSchemas(branch: Branch): JsonSchema[] {
  return itemSchemas(branch, Number.MAX_SAFE_INTEGER);
}

/** Integer bounds as inclusive integers (`exclusiveMinimum: 0` on integers is `minimum: 1`). */
export function integerLower(bound: Bound | undefined): Bound | undefined {
  if (bound === undefined) return undefined;
  return { value: bound.exclusive ? Math.floor(bound.value) + 1 : Math.ceil(bound.value), exclusive: false };
}

export function integerUpper(bound: Bound | undefined): Bound | undefined {
  if (bound === undefined) return undefined;
  return { value: bound.exclusive ? Math.ceil(bound.value) - 1 : Math.floor(bound.value), exclusive: false };
}

/** Numbers of the branch are integers: `type: integer`, or a whole `multipleOf`. */
export function integerOnly(branch: Branch): boolean {
  return branch.integer || branch.multipleOf.some((m) => Number.isInteger(m));
}

/** Whether the branch obviously admits no value of `type` (contradictory bounds and the like). */
export function emptyForType(branch: Branch, type: JsonType): boolean {
  if (!branch.types.has(type)) return true;
  if (branch.enum !== undefined) return !branch.enum.some((value) => jsonTypeOf(value) === type);
  switch (type) {
    case "number": {
      const lower = integerOnly(branch) ? integerLower(branch.lower) : branch.lower;
      const upper = integerOnly(branch) ? integerUpper(branch.upper) : branch.upper;
      if (lower === undefined || upper === undefined) return false;
      return lower.value > upper.value || (lower.value === upper.value && (lower.exclusive || upper.exclusive));
    }
    case "string":
      return branch.maxLength !== undefined && branch.minLength > branch.maxLength;
    case "array":
      return branch.maxItems !== undefined && branch.minItems > branch.maxItems;
    case "object":
      if (branch.maxProperties !== undefined && branch.minProperties > branch.maxProperties) return true;
      return [...branch.required].some((name) => propertySchemas(branch, name).includes(false));
    default:
      return false;
  }
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
