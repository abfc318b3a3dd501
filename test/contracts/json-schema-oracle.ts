/**
 * A small, deliberately plain JSON Schema validator for the tests of the
 * schema comparison: it shares no code with `src/`, so a bug in the
 * comparer's own evaluation cannot hide itself. It covers the keywords the
 * randomized tests generate, and throws on any other, so a test can never
 * silently validate against a keyword it does not understand.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = boolean | { [keyword: string]: Json };

const SUPPORTED = new Set([
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
  "minItems",
  "maxItems",
  "uniqueItems",
  "properties",
  "required",
  "additionalProperties",
  "minProperties",
  "maxProperties",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "title",
  "description",
]);

const isObject = (v: Json): v is { [key: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

function typeOf(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function equal(a: Json, b: Json): boolean {
  if (typeOf(a) !== typeOf(b)) return false;
  if (Array.isArray(a)) return a.length === (b as Json[]).length && a.every((x, i) => equal(x, (b as Json[])[i]!));
  if (isObject(a)) {
    const bo = b as { [key: string]: Json };
    const keys = Object.keys(a);
    return keys.length === Object.keys(bo).length && keys.every((k) => k in bo && equal(a[k]!, bo[k]!));
  }
  return a === b;
}

function hasType(v: Json, type: string): boolean {
  switch (type) {
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number";
    default:
      return typeOf(v) === type;
  }
}

export function valid(v: Json, schema: Schema): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  for (const keyword of Object.keys(schema)) {
    if (!SUPPORTED.has(keyword)) throw new Error(`oracle: unsupported keyword ${keyword}`);
  }
  const s = schema;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(v, t))) return false;
  }
  if (s.enum !== undefined && !(s.enum as Json[]).some((e) => equal(e, v))) return false;
  if (s.const !== undefined && !equal(s.const, v)) return false;
  if (typeof v === "number") {
    if (typeof s.minimum === "number" && v < s.minimum) return false;
    if (typeof s.maximum === "number" && v > s.maximum) return false;
    if (typeof s.exclusiveMinimum === "number" && v <= s.exclusiveMinimum) return false;
    if (typeof s.exclusiveMaximum === "number" && v >= s.exclusiveMaximum) return false;
    if (typeof s.multipleOf === "number" && !Number.isInteger(v / s.multipleOf)) return false;
  }
  if (typeof v === "string") {
    const length = [...v].length;
    if (typeof s.minLength === "number" && length < s.minLength) return false;
    if (typeof s.maxLength === "number" && length > s.maxLength) return false;
    if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(v)) return false;
    // `format` is checked for the two formats the generator uses.
    if (s.format === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
    if (s.format === "email" && !/^[^@\s]+@[^@\s]+$/.test(v)) return false;
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === "number" && v.length < s.minItems) return false;
    if (typeof s.maxItems === "number" && v.length > s.maxItems) return false;
    if (s.uniqueItems === true && v.some((x, i) => v.some((y, j) => j > i && equal(x, y)))) return false;
    if (s.items !== undefined && !v.every((x) => valid(x, s.items as Schema))) return false;
  }
  if (isObject(v)) {
    const properties = (s.properties ?? {}) as { [key: string]: Schema };
    for (const name of (s.required ?? []) as string[]) if (!(name in v)) return false;
    for (const [name, value] of Object.entries(v)) {
      const sub = name in properties ? properties[name]! : ((s.additionalProperties as Schema | undefined) ?? true);
      if (!valid(value, sub)) return false;
    }
    const count = Object.keys(v).length;
    if (typeof s.minProperties === "number" && count < s.minProperties) return false;
    if (typeof s.maxProperties === "number" && count > s.maxProperties) return false;
  }
  if (s.allOf !== undefined && !(s.allOf as Schema[]).every((sub) => valid(v, sub))) return false;
  if (s.anyOf !== undefined && !(s.anyOf as Schema[]).some((sub) => valid(v, sub))) return false;
  if (s.oneOf !== undefined && (s.oneOf as Schema[]).filter((sub) => valid(v, sub)).length !== 1) return false;
  if (s.not !== undefined && valid(v, s.not as Schema)) return false;
  return true;
}

/**
 * What a Trellis sender puts on the wire for a value valid under `schema`:
 * objects whose schema declares `properties` without `additionalProperties`
 * lose every undeclared property (valibot's `v.object` strips them). Unions
 * use the first variant the value matches, as valibot's `v.union` does.
 */
export function encode(v: Json, schema: Schema): Json {
  if (typeof schema === "boolean") return v;
  for (const key of ["anyOf", "oneOf"] as const) {
    const variants = schema[key] as Schema[] | undefined;
    if (variants === undefined) continue;
    const chosen = variants.find((variant) => valid(v, variant));
    if (chosen !== undefined) v = encode(v, chosen);
  }
  for (const part of (schema.allOf ?? []) as Schema[]) v = encode(v, part);
  if (Array.isArray(v) && schema.items !== undefined) return v.map((x) => encode(x, schema.items as Schema));
  if (isObject(v) && schema.properties !== undefined) {
    const properties = schema.properties as { [key: string]: Schema };
    const open = schema.additionalProperties !== undefined;
    const out: { [key: string]: Json } = {};
    for (const [name, value] of Object.entries(v)) {
      if (name in properties) out[name] = encode(value, properties[name]!);
      else if (open) out[name] = value;
    }
    return out;
  }
  return v;
}
