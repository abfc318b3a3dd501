import type { JsonValue } from "../../contracts/index.ts";
import { sortedKeys } from "../code/literal.ts";
import { jsonEqual, jsonTypeOf } from "./json-value.ts";

/**
 * Reads one JSON Schema node (draft 2019-09, as manifests embed it) into the
 * facts both renderers use, so the valibot code and the TypeScript type are
 * derived from the same reading. Children stay raw schemas with their JSON
 * pointer; renderers read them in turn.
 *
 * Every keyword is either understood, a known annotation (ignored, as JSON
 * Schema does), a format that is not asserted, or unsupported: the last two
 * are reported as notes, never dropped silently. Malformed keyword values
 * are problems (generation fails with the pointer).
 */

export type Schema = boolean | { readonly [keyword: string]: JsonValue };
export type Located = { readonly schema: Schema; readonly pointer: string };
export type Branch = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";

export type SchemaIssue = { readonly pointer: string; readonly message: string };
export class Diagnostics {
  readonly problems: SchemaIssue[] = [];
  readonly notes: SchemaIssue[] = [];
  problem(pointer: string, message: string): void {
    if (!this.problems.some((p) => p.pointer === pointer && p.message === message))
      this.problems.push({ pointer, message });
  }
  note(pointer: string, message: string): void {
    if (!this.notes.some((n) => n.pointer === pointer && n.message === message)) this.notes.push({ pointer, message });
  }
}

/** A compiled `pattern`: the regex literal to print, and the RegExp to evaluate constants with. */
export type Pattern = { readonly literal: string; readonly regexp: RegExp };

/** Formats whose only valibot origin is one action, so asserting them matches the authoring source. */
export const ASSERTED_FORMATS = {
  date: "isoDate",
  ipv4: "ipv4",
  ipv6: "ipv6",
  time: "isoTime",
  uri: "url",
  uuid: "uuid",
} as const;
export type AssertedFormat = keyof typeof ASSERTED_FORMATS;

export interface StringFacts {
  minLength?: number;
  maxLength?: number;
  pattern?: Pattern;
  format?: AssertedFormat;
}
export interface NumberFacts {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}
export interface ArrayFacts {
  items?: Located;
  tuple?: Located[];
  additionalItems?: Located;
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  contains?: Located;
  minContains?: number;
  maxContains?: number;
}
export interface ObjectFacts {
  properties: [key: string, schema: Located][];
  required: string[];
  additionalProperties?: Located;
  patternProperties: [pattern: Pattern, schema: Located][];
  propertyNames?: Located;
  minProperties?: number;
  maxProperties?: number;
  dependentRequired: [key: string, required: string[]][];
  dependentSchemas: [key: string, schema: Located][];
}

export interface SchemaFacts {
  readonly pointer: string;
  /** `true`/`{}` accept anything, `false` nothing; `undefined` for every other schema. */
  readonly trivial: "any" | "never" | undefined;
  /** The `type` keyword as branches (`integer` folded into `number` when both are listed); `undefined` = any type. */
  readonly types: readonly Branch[] | undefined;
  /** `enum` ∩ `const`, already filtered by `types`; `undefined` when neither is present. */
  readonly values: readonly JsonValue[] | undefined;
  readonly string: StringFacts | undefined;
  readonly number: NumberFacts | undefined;
  readonly array: ArrayFacts | undefined;
  readonly object: ObjectFacts | undefined;
  readonly allOf: readonly Located[];
  readonly anyOf: readonly Located[] | undefined;
  readonly oneOf: readonly Located[] | undefined;
  readonly not: Located | undefined;
  readonly conditional: { if: Located; then?: Located; else?: Located } | undefined;
}

/** Annotations: they assert nothing, so the validator ignores them (listed for the reader). */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  "$anchor",
  "$comment",
  "$defs",
  "$id",
  "$recursiveAnchor",
  "$dynamicAnchor",
  "$schema",
  "$vocabulary",
  "contentEncoding",
  "contentMediaType",
  "contentSchema",
  "default",
  "definitions",
  "deprecated",
  "description",
  "examples",
  "readOnly",
  "title",
  "writeOnly",
]);
const UNSUPPORTED: Readonly<Record<string, string>> = {
  unevaluatedProperties: "'unevaluatedProperties' is not enforced by the SDK validator",
  unevaluatedItems: "'unevaluatedItems' is not enforced by the SDK validator",
  prefixItems: "'prefixItems' (2020-12) is not a 2019-09 keyword and is not enforced; use 'items' as an array",
};
const STRING_KEYWORDS = ["minLength", "maxLength", "pattern", "format"];
const NUMBER_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const ARRAY_KEYWORDS = ["items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"];
const ARRAY_ONLY_WITH_CONTAINS = ["minContains", "maxContains"];
const OBJECT_KEYWORDS = [
  "properties",
  "required",
  "additionalProperties",
  "patternProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "dependencies",
  "dependentRequired",
  "dependentSchemas",
];
const COMBINATORS = ["allOf", "anyOf", "oneOf", "not", "if", "then", "else", "enum", "const", "type"];
const KNOWN = new Set([
  ...STRING_KEYWORDS,
  ...NUMBER_KEYWORDS,
  ...ARRAY_KEYWORDS,
  ...ARRAY_ONLY_WITH_CONTAINS,
  ...OBJECT_KEYWORDS,
  ...COMBINATORS,
]);
const TYPE_ORDER: readonly Branch[] = ["object", "array", "string", "number", "integer", "boolean", "null"];

export function child(parent: string, ...tokens: (string | number)[]): string {
  return parent + tokens.map((t) => `/${String(t).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** Whether a schema accepts every value (`true`, `{}`, or only annotations and unknown keywords). */
export function acceptsAnything(schema: Schema): boolean {
  if (typeof schema === "boolean") return schema;
  // Annotations and unknown keywords assert nothing (JSON Schema ignores unknown keywords).
  return Object.keys(schema).every((key) => !KNOWN.has(key) && !Object.hasOwn(UNSUPPORTED, key));
}

/** Whether a schema accepts nothing (`false`, or `not` of a schema that accepts anything). */
export function acceptsNothing(schema: Schema): boolean {
  if (typeof schema === "boolean") return !schema;
  const not = schema.not;
  return not !== undefined && isSchema(not) && acceptsAnything(not);
}

export function readSchema({ schema, pointer }: Located, diagnostics: Diagnostics): SchemaFacts {
  const empty = {
    pointer,
    types: undefined,
    values: undefined,
    string: undefined,
    number: undefined,
    array: undefined,
    object: undefined,
    allOf: [],
    anyOf: undefined,
    oneOf: undefined,
    not: undefined,
    conditional: undefined,
  } as const;
  if (acceptsAnything(schema)) return { ...empty, trivial: "any" };
  if (acceptsNothing(schema)) return { ...empty, trivial: "never" };
  const node = schema as { readonly [keyword: string]: JsonValue };
  const reader = new KeywordReader(node, pointer, diagnostics);

  for (const key of sortedKeys(node)) {
    if (Object.hasOwn(UNSUPPORTED, key)) diagnostics.note(child(pointer, key), UNSUPPORTED[key]!);
  }
  const types = readTypes(reader);
  const string = readString(reader);
  const number = readNumber(reader);
  const values = readValues(reader, types)?.filter((value) => scalarAllowed(value, string, number));
  return {
    pointer,
    trivial: undefined,
    types,
    values,
    string,
    number,
    array: readArray(reader),
    object: readObject(reader),
    allOf: reader.schemaList("allOf") ?? [],
    anyOf: reader.schemaList("anyOf"),
    oneOf: reader.schemaList("oneOf"),
    not: reader.schema("not"),
    conditional: readConditional(reader),
  };
}

function readTypes(reader: KeywordReader): Branch[] | undefined {
  const type = reader.node.type;
  if (type === undefined) return undefined;
  // The manifest rules already checked the names (contracts rules/schemas.ts).
  const listed = new Set((Array.isArray(type) ? type : [type]).filter((t): t is Branch => typeof t === "string"));
  if (listed.has("number")) listed.delete("integer");
  return TYPE_ORDER.filter((t) => listed.has(t));
}

function readValues(reader: KeywordReader, types: readonly Branch[] | undefined): JsonValue[] | undefined {
  const { node } = reader;
  let values: JsonValue[] | undefined;
  if (node.enum !== undefined) {
    if (!Array.isArray(node.enum)) reader.problem("enum", "must be an array");
    else values = uniqueValues(node.enum);
  }
  if (Object.hasOwn(node, "const")) {
    const constant = node.const!;
    values = values === undefined ? [constant] : values.filter((value) => jsonEqual(value, constant));
  }
  if (values === undefined || types === undefined) return values;
  return values.filter((value) => {
    const type = jsonTypeOf(value);
    return types.includes(type) || (type === "number" && types.includes("integer") && Number.isInteger(value));
  });
}

/**
 * Whether a constant passes the node's string and number keywords, so that
 * `{enum: [...], maxLength: 3}` becomes the filtered list. Formats cannot be
 * evaluated here; `valuesNeedCore` keeps the core schema for them.
 */
function scalarAllowed(value: JsonValue, s: StringFacts | undefined, n: NumberFacts | undefined): boolean {
  if (typeof value === "string" && s !== undefined) {
    if (s.minLength !== undefined && value.length < s.minLength) return false;
    if (s.maxLength !== undefined && value.length > s.maxLength) return false;
    if (s.pattern !== undefined && !s.pattern.regexp.test(value)) return false;
  }
  if (typeof value === "number" && n !== undefined) {
    if (n.minimum !== undefined && value < n.minimum) return false;
    if (n.maximum !== undefined && value > n.maximum) return false;
    if (n.exclusiveMinimum !== undefined && value <= n.exclusiveMinimum) return false;
    if (n.exclusiveMaximum !== undefined && value >= n.exclusiveMaximum) return false;
    // The same test valibot's multipleOf makes, so the list agrees with the source schema.
    if (n.multipleOf !== undefined && value % n.multipleOf !== 0) return false;
  }
  return true;
}

function uniqueValues(values: readonly JsonValue[]): JsonValue[] {
  const kept: JsonValue[] = [];
  for (const value of values) if (!kept.some((k) => jsonEqual(k, value))) kept.push(value);
  return kept;
}

function readString(reader: KeywordReader): StringFacts | undefined {
  if (!STRING_KEYWORDS.some((k) => reader.has(k))) return undefined;
  const facts: StringFacts = {};
  assign(facts, "minLength", reader.count("minLength"));
  assign(facts, "maxLength", reader.count("maxLength"));
  const pattern = reader.pattern("pattern");
  if (pattern !== undefined) facts.pattern = pattern;
  const format = reader.node.format;
  if (format !== undefined) {
    if (typeof format !== "string") reader.problem("format", "must be a string");
    else if (Object.hasOwn(ASSERTED_FORMATS, format)) facts.format = format as AssertedFormat;
    else {
      reader.note(
        "format",
        `format '${format}' is an annotation (JSON Schema 2019-09) and is not asserted by the SDK validator`,
      );
    }
  }
  return Object.keys(facts).length === 0 ? undefined : facts;
}

function readNumber(reader: KeywordReader): NumberFacts | undefined {
  if (!NUMBER_KEYWORDS.some((k) => reader.has(k))) return undefined;
  const facts: NumberFacts = {};
  const { node } = reader;
  const minimum = reader.finite("minimum");
  const maximum = reader.finite("maximum");
  // Draft 4 wrote exclusive bounds as booleans next to minimum/maximum; read them as meant.
  if (node.exclusiveMinimum === true && minimum !== undefined) facts.exclusiveMinimum = minimum;
  else if (typeof node.exclusiveMinimum !== "boolean") {
    assign(facts, "exclusiveMinimum", reader.finite("exclusiveMinimum"));
    assign(facts, "minimum", minimum);
  } else assign(facts, "minimum", minimum);
  if (node.exclusiveMaximum === true && maximum !== undefined) facts.exclusiveMaximum = maximum;
  else if (typeof node.exclusiveMaximum !== "boolean") {
    assign(facts, "exclusiveMaximum", reader.finite("exclusiveMaximum"));
    assign(facts, "maximum", maximum);
  } else assign(facts, "maximum", maximum);
  const multipleOf = reader.finite("multipleOf");
  if (multipleOf !== undefined) {
    if (multipleOf > 0) facts.multipleOf = multipleOf;
    else reader.problem("multipleOf", "must be greater than 0");
  }
  return Object.keys(facts).length === 0 ? undefined : facts;
}

function readArray(reader: KeywordReader): ArrayFacts | undefined {
  if (!ARRAY_KEYWORDS.some((k) => reader.has(k))) return undefined;
  const facts: ArrayFacts = { uniqueItems: false };
  const { node } = reader;
  if (Array.isArray(node.items)) {
    facts.tuple = reader.schemaList("items") ?? [];
    // additionalItems only means something next to a tuple-form `items`.
    assign(facts, "additionalItems", reader.schema("additionalItems"));
  } else assign(facts, "items", reader.schema("items"));
  assign(facts, "minItems", reader.count("minItems"));
  assign(facts, "maxItems", reader.count("maxItems"));
  if (node.uniqueItems !== undefined) {
    if (typeof node.uniqueItems !== "boolean") reader.problem("uniqueItems", "must be a boolean");
    else facts.uniqueItems = node.uniqueItems;
  }
  const contains = reader.schema("contains");
  if (contains !== undefined) {
    facts.contains = contains;
    assign(facts, "minContains", reader.count("minContains"));
    assign(facts, "maxContains", reader.count("maxContains"));
  }
  const trivial =
    facts.items === undefined &&
    facts.tuple === undefined &&
    facts.minItems === undefined &&
    facts.maxItems === undefined &&
    !facts.uniqueItems &&
    facts.contains === undefined;
  return trivial ? undefined : facts;
}

function readObject(reader: KeywordReader): ObjectFacts | undefined {
  if (!OBJECT_KEYWORDS.some((k) => reader.has(k))) return undefined;
  const { node } = reader;
  const facts: ObjectFacts = {
    properties: reader.schemaMap("properties"),
    required: [],
    patternProperties: [],
    dependentRequired: [],
    dependentSchemas: [],
  };
  if (node.required !== undefined) {
    if (!Array.isArray(node.required) || !node.required.every((k) => typeof k === "string"))
      reader.problem("required", "must be an array of strings");
    else facts.required = [...new Set(node.required as string[])].sort();
  }
  assign(facts, "additionalProperties", reader.schema("additionalProperties"));
  for (const [source, schema] of reader.schemaMap("patternProperties")) {
    const pattern = compilePattern(source, child(reader.pointer, "patternProperties", source), reader.diagnostics);
    if (pattern !== undefined) facts.patternProperties.push([pattern, schema]);
  }
  assign(facts, "propertyNames", reader.schema("propertyNames"));
  assign(facts, "minProperties", reader.count("minProperties"));
  assign(facts, "maxProperties", reader.count("maxProperties"));
  readDependencies(reader, "dependencies", facts);
  readDependencies(reader, "dependentRequired", facts);
  readDependencies(reader, "dependentSchemas", facts);
  return facts;
}

/** Draft 7 `dependencies` mixes both forms; 2019-09 splits them into `dependentRequired`/`dependentSchemas`. */
function readDependencies(reader: KeywordReader, keyword: string, facts: ObjectFacts): void {
  const value = reader.node[keyword];
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    reader.problem(keyword, "must be an object");
    return;
  }
  for (const key of sortedKeys(value)) {
    const entry = value[key]!;
    const pointer = child(reader.pointer, keyword, key);
    if (Array.isArray(entry) && keyword !== "dependentSchemas") {
      if (!entry.every((k) => typeof k === "string")) reader.diagnostics.problem(pointer, "must list property names");
      else facts.dependentRequired.push([key, [...new Set(entry as string[])].sort()]);
    } else if (keyword !== "dependentRequired" && isSchema(entry)) {
      facts.dependentSchemas.push([key, { schema: entry, pointer }]);
    } else reader.diagnostics.problem(pointer, "must be a schema or a list of property names");
  }
}

function readConditional(reader: KeywordReader): SchemaFacts["conditional"] {
  const condition = reader.schema("if");
  if (condition === undefined) return undefined;
  const conditional: { if: Located; then?: Located; else?: Located } = { if: condition };
  assign(conditional, "then", reader.schema("then"));
  assign(conditional, "else", reader.schema("else"));
  return conditional.then === undefined && conditional.else === undefined ? undefined : conditional;
}

/**
 * JSON Schema patterns are ECMA-262 regular expressions without flags, as
 * valibot's `regex` writes them. A pattern that only compiles in unicode mode
 * (`\p{L}`) gets the `u` flag; one that compiles in neither is a problem.
 */
export function compilePattern(source: string, pointer: string, diagnostics: Diagnostics): Pattern | undefined {
  for (const flags of ["", "u"]) {
    try {
      const regexp = new RegExp(source, flags);
      return { literal: `/${regexp.source}/${flags}`, regexp };
    } catch {
      // try the next mode
    }
  }
  diagnostics.problem(pointer, `'${source}' is not a valid regular expression`);
  return undefined;
}

export function isSchema(value: JsonValue | undefined): value is Schema {
  return typeof value === "boolean" || (typeof value === "object" && value !== null && !Array.isArray(value));
}

class KeywordReader {
  constructor(
    readonly node: { readonly [keyword: string]: JsonValue },
    readonly pointer: string,
    readonly diagnostics: Diagnostics,
  ) {}
  has(keyword: string): boolean {
    return Object.hasOwn(this.node, keyword);
  }
  problem(keyword: string, message: string): void {
    this.diagnostics.problem(child(this.pointer, keyword), message);
  }
  note(keyword: string, message: string): void {
    this.diagnostics.note(child(this.pointer, keyword), message);
  }
  count(keyword: string): number | undefined {
    const value = this.node[keyword];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      this.problem(keyword, "must be a non-negative integer");
      return undefined;
    }
    return value;
  }
  finite(keyword: string): number | undefined {
    const value = this.node[keyword];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.problem(keyword, "must be a number");
      return undefined;
    }
    return value;
  }
  pattern(keyword: string): Pattern | undefined {
    const value = this.node[keyword];
    if (value === undefined) return undefined;
    if (typeof value !== "string") {
      this.problem(keyword, "must be a string");
      return undefined;
    }
    return compilePattern(value, child(this.pointer, keyword), this.diagnostics);
  }
  schema(keyword: string): Located | undefined {
    const value = this.node[keyword];
    if (value === undefined) return undefined;
    // Subschema positions were checked by the manifest rules; guard anyway.
    if (!isSchema(value)) {
      this.problem(keyword, "must be a JSON Schema");
      return undefined;
    }
    return { schema: value, pointer: child(this.pointer, keyword) };
  }
  schemaList(keyword: string): Located[] | undefined {
    const value = this.node[keyword];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every(isSchema)) {
      this.problem(keyword, "must be an array of JSON Schemas");
      return undefined;
    }
    return value.map((schema, i) => ({ schema: schema as Schema, pointer: child(this.pointer, keyword, i) }));
  }
  schemaMap(keyword: string): [string, Located][] {
    const value = this.node[keyword];
    if (value === undefined) return [];
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.problem(keyword, "must be an object of JSON Schemas");
      return [];
    }
    const entries: [string, Located][] = [];
    for (const key of sortedKeys(value)) {
      const schema = value[key]!;
      if (isSchema(schema)) entries.push([key, { schema, pointer: child(this.pointer, keyword, key) }]);
      else this.diagnostics.problem(child(this.pointer, keyword, key), "must be a JSON Schema");
    }
    return entries;
  }
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
