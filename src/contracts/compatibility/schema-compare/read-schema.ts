import type { JsonValue } from "../../json/pure-json.ts";
import type { JsonSchema } from "../../manifest/types.ts";
import {
  finish,
  tighterLower,
  tighterUpper,
  type ArrayPart,
  type Bound,
  type Branch,
  type ObjectPart,
} from "./branch.ts";
import { classifyKeyword, keywordGroup } from "./keywords.ts";
import { ALL_TYPES, isObject, jsonEqual, keyOf, type JsonType } from "./values.ts";

/** Reading one schema object's own keywords into a branch (composition keywords are `branches.ts`'s). */

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "boolean" || isObject(value);
}

const TYPE_NAMES: ReadonlySet<string> = new Set(["null", "boolean", "integer", "number", "string", "array", "object"]);

/** The branch of one schema object's own keywords (composition keywords excluded), or why it cannot be read. */
export function readBranch(schema: Record<string, unknown>): Branch | string {
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
