import { describe, expect, test } from "bun:test";
import { compareSchemas, schemaAccepts, type JsonSchema, type SchemaChangeCode } from "../../src/contracts/index.ts";

/**
 * The schema comparison, pair by pair. `expect` is what both inclusions
 * prove: `equivalent` (both), `widened` (old ⊆ new only), `narrowed`
 * (new ⊆ old only), `changed` (neither). `codes` are the change codes,
 * exactly (sorted, duplicates removed).
 */
type Verdict = "equivalent" | "widened" | "narrowed" | "changed";
type Row = {
  name: string;
  before: JsonSchema;
  after: JsonSchema;
  expect: Verdict;
  codes?: SchemaChangeCode[];
  at?: string;
};

const obj = (properties: Record<string, JsonSchema>, extra: Record<string, unknown> = {}): JsonSchema => ({
  type: "object",
  properties,
  ...extra,
});
const str = { type: "string" };
const int = { type: "integer" };

const VALUES: Row[] = [
  // types
  { name: "identical", before: obj({ a: str }), after: obj({ a: str }), expect: "equivalent", codes: [] },
  {
    name: "string → number",
    before: str,
    after: { type: "number" },
    expect: "changed",
    codes: ["schema.type-changed"],
  },
  {
    name: "integer → number",
    before: int,
    after: { type: "number" },
    expect: "widened",
    codes: ["schema.type-widened"],
  },
  {
    name: "number → integer",
    before: { type: "number" },
    after: int,
    expect: "narrowed",
    codes: ["schema.type-narrowed"],
  },
  { name: "type as a one-element array", before: str, after: { type: ["string"] }, expect: "equivalent" },
  {
    name: "type array gains null",
    before: str,
    after: { type: ["string", "null"] },
    expect: "widened",
    codes: ["schema.type-widened"],
  },
  {
    name: "nullable via anyOf",
    before: str,
    after: { anyOf: [str, { type: "null" }] },
    expect: "widened",
    codes: ["schema.type-widened"],
  },
  {
    name: "anyOf nullable ≡ type array",
    before: { anyOf: [str, { type: "null" }] },
    after: { type: ["null", "string"] },
    expect: "equivalent",
  },
  {
    name: "integer|string → number|string",
    before: { type: ["integer", "string"] },
    after: { type: ["number", "string"] },
    expect: "widened",
  },
  {
    name: "true → object",
    before: true,
    after: { type: "object" },
    expect: "narrowed",
    codes: ["schema.type-narrowed"],
  },
  { name: "true → false", before: true, after: false, expect: "narrowed", codes: ["schema.value-narrowed"] },
  { name: "false → string", before: false, after: str, expect: "widened" },
  { name: "{} ≡ true", before: {}, after: true, expect: "equivalent" },
  { name: "annotations only", before: { title: "x" }, after: { description: "y", default: 1 }, expect: "equivalent" },
  {
    name: "description inside a property",
    before: obj({ a: str }),
    after: obj({ a: { ...str, description: "A." } }),
    expect: "equivalent",
  },

  // required and properties
  {
    name: "required added",
    before: obj({ a: str }),
    after: obj({ a: str }, { required: ["a"] }),
    expect: "narrowed",
    codes: ["schema.required-added"],
  },
  {
    name: "required removed",
    before: obj({ a: str, b: str }, { required: ["a", "b"] }),
    after: obj({ a: str, b: str }, { required: ["a"] }),
    expect: "widened",
    codes: ["schema.required-removed"],
  },
  {
    name: "open object declares a new property",
    before: obj({ a: str }),
    after: obj({ a: str, b: int }),
    expect: "narrowed",
    codes: ["schema.type-narrowed"],
    at: "b",
  },
  {
    name: "closed object gains a property",
    before: obj({ a: str }, { additionalProperties: false }),
    after: obj({ a: str, b: str }, { additionalProperties: false }),
    expect: "widened",
    codes: ["schema.property-added"],
  },
  {
    name: "closed object loses a property",
    before: obj({ a: str, b: str }, { additionalProperties: false }),
    after: obj({ a: str }, { additionalProperties: false }),
    expect: "narrowed",
    codes: ["schema.property-removed"],
  },
  {
    name: "open → closed",
    before: obj({ a: str }),
    after: obj({ a: str }, { additionalProperties: false }),
    expect: "narrowed",
    codes: ["schema.additional-properties-restricted"],
  },
  {
    name: "closed → open",
    before: obj({ a: str }, { additionalProperties: false }),
    after: obj({ a: str }, { additionalProperties: true }),
    expect: "widened",
    codes: ["schema.additional-properties-relaxed"],
  },
  {
    name: "additionalProperties schema changes type",
    before: { type: "object", additionalProperties: str },
    after: { type: "object", additionalProperties: { type: "number" } },
    expect: "changed",
    codes: ["schema.type-changed"],
    at: "*",
  },
  {
    name: "additionalProperties integer → true",
    before: { type: "object", additionalProperties: int },
    after: { type: "object" },
    expect: "widened",
  },
  {
    name: "property type changes",
    before: obj({ a: str }),
    after: obj({ a: int }),
    expect: "changed",
    codes: ["schema.type-changed"],
    at: "a",
  },
  {
    name: "minProperties raised",
    before: { type: "object" },
    after: { type: "object", minProperties: 1 },
    expect: "narrowed",
    codes: ["schema.bounds-narrowed"],
  },

  // enum and const
  {
    name: "enum gains a value",
    before: { enum: ["a", "b"] },
    after: { enum: ["a", "b", "c"] },
    expect: "widened",
    codes: ["schema.enum-widened"],
  },
  {
    name: "enum loses a value",
    before: { enum: ["a", "b", "c"] },
    after: { enum: ["a", "b"] },
    expect: "narrowed",
    codes: ["schema.enum-narrowed"],
  },
  {
    name: "enum swaps a value",
    before: { enum: ["a", "b"] },
    after: { enum: ["b", "c"] },
    expect: "changed",
    codes: ["schema.enum-changed"],
  },
  { name: "const → enum", before: { const: "a" }, after: { enum: ["a", "b"] }, expect: "widened" },
  {
    name: "string → enum",
    before: str,
    after: { type: "string", enum: ["a"] },
    expect: "narrowed",
    codes: ["schema.enum-narrowed"],
  },
  {
    name: "enum ⊆ integer range, not proven back (conservative)",
    before: { enum: [1, 2] },
    after: { type: "integer", minimum: 1, maximum: 2 },
    expect: "widened",
  },
  {
    name: "mixed enum → string",
    before: { enum: [1, "a"] },
    after: str,
    expect: "changed",
    codes: ["schema.enum-changed"],
  },
  {
    name: "enum filtered by type",
    before: { type: "string", enum: ["a", 1] },
    after: { enum: ["a"] },
    expect: "equivalent",
  },

  // numbers
  {
    name: "minimum raised",
    before: { type: "number", minimum: 0 },
    after: { type: "number", minimum: 1 },
    expect: "narrowed",
    codes: ["schema.bounds-narrowed"],
  },
  {
    name: "maximum raised",
    before: { type: "number", maximum: 10 },
    after: { type: "number", maximum: 20 },
    expect: "widened",
    codes: ["schema.bounds-widened"],
  },
  {
    name: "exclusiveMinimum → minimum",
    before: { type: "number", exclusiveMinimum: 0 },
    after: { type: "number", minimum: 0 },
    expect: "widened",
  },
  {
    name: "integer exclusiveMinimum 0 ≡ minimum 1",
    before: { type: "integer", exclusiveMinimum: 0 },
    after: { type: "integer", minimum: 1 },
    expect: "equivalent",
  },
  {
    name: "exclusiveMaximum → maximum",
    before: { type: "number", exclusiveMaximum: 10 },
    after: { type: "number", maximum: 10 },
    expect: "widened",
  },
  {
    name: "multipleOf 2 → 4",
    before: { type: "integer", multipleOf: 2 },
    after: { type: "integer", multipleOf: 4 },
    expect: "narrowed",
    codes: ["schema.multiple-of-narrowed"],
  },
  {
    name: "multipleOf 4 → 2",
    before: { type: "integer", multipleOf: 4 },
    after: { type: "integer", multipleOf: 2 },
    expect: "widened",
    codes: ["schema.multiple-of-widened"],
  },
  {
    name: "integer ≡ integer multipleOf 1",
    before: int,
    after: { type: "integer", multipleOf: 1 },
    expect: "equivalent",
  },
  {
    name: "number multipleOf 0.5 → integer",
    before: { type: "number", multipleOf: 0.5 },
    after: int,
    expect: "narrowed",
    codes: ["schema.type-narrowed"],
  },

  // strings
  {
    name: "minLength raised",
    before: { type: "string", minLength: 1 },
    after: { type: "string", minLength: 3 },
    expect: "narrowed",
    codes: ["schema.bounds-narrowed"],
  },
  {
    name: "maxLength dropped",
    before: { type: "string", maxLength: 10 },
    after: str,
    expect: "widened",
    codes: ["schema.bounds-widened"],
  },
  {
    name: "pattern added",
    before: str,
    after: { type: "string", pattern: "^a" },
    expect: "narrowed",
    codes: ["schema.pattern-added"],
  },
  {
    name: "pattern changed",
    before: { type: "string", pattern: "^a" },
    after: { type: "string", pattern: "^b" },
    expect: "changed",
    codes: ["schema.pattern-added", "schema.pattern-removed"],
  },
  {
    name: "format added",
    before: str,
    after: { type: "string", format: "email" },
    expect: "narrowed",
    codes: ["schema.format-added"],
  },
  {
    name: "same pattern and format",
    before: { type: "string", pattern: "^a", format: "email" },
    after: { format: "email", type: "string", pattern: "^a" },
    expect: "equivalent",
  },

  // arrays
  {
    name: "items type changes",
    before: { type: "array", items: str },
    after: { type: "array", items: int },
    expect: "changed",
    codes: ["schema.type-changed"],
    at: "[]",
  },
  {
    name: "minItems raised",
    before: { type: "array" },
    after: { type: "array", minItems: 1 },
    expect: "narrowed",
    codes: ["schema.bounds-narrowed"],
  },
  {
    name: "maxItems raised",
    before: { type: "array", maxItems: 5 },
    after: { type: "array", maxItems: 10 },
    expect: "widened",
    codes: ["schema.bounds-widened"],
  },
  {
    name: "uniqueItems added",
    before: { type: "array" },
    after: { type: "array", uniqueItems: true },
    expect: "narrowed",
    codes: ["schema.unique-items-added"],
  },
  {
    name: "item minLength lowered",
    before: { type: "array", items: { type: "string", minLength: 1 } },
    after: { type: "array", items: str },
    expect: "widened",
  },
  {
    name: "tuple gains an open position",
    before: { type: "array", items: [str, int], additionalItems: false },
    after: { type: "array", items: [str, int, { type: "boolean" }] },
    expect: "widened",
  },

  // composition
  {
    name: "anyOf loses a variant",
    before: { anyOf: [str, int] },
    after: { anyOf: [str] },
    expect: "narrowed",
    codes: ["schema.type-narrowed"],
  },
  {
    name: "anyOf of objects reordered",
    before: { anyOf: [obj({ a: str }, { required: ["a"] }), obj({ b: str }, { required: ["b"] })] },
    after: { anyOf: [obj({ b: str }, { required: ["b"] }), obj({ a: str }, { required: ["a"] })] },
    expect: "equivalent",
  },
  {
    name: "allOf merges into one branch",
    before: { allOf: [{ type: "object" }, { required: ["a"] }] },
    after: { type: "object", required: ["a"] },
    expect: "equivalent",
  },
  {
    name: "disjoint oneOf read as anyOf",
    before: { oneOf: [str, int] },
    after: { oneOf: [str, { type: "number" }] },
    expect: "widened",
  },
  {
    name: "overlapping oneOf is not provable",
    before: int,
    after: { oneOf: [int, { type: "number" }] },
    expect: "changed",
    codes: ["schema.not-provable", "schema.type-widened"],
  },
  {
    name: "discriminated oneOf gains a variant",
    before: { oneOf: ["a", "b"].map((kind) => obj({ kind: { const: kind } }, { required: ["kind"] })) },
    after: { oneOf: ["a", "b", "c"].map((kind) => obj({ kind: { const: kind } }, { required: ["kind"] })) },
    expect: "widened",
  },
  {
    name: "nullable object",
    before: obj({ a: str }),
    after: { anyOf: [obj({ a: str }), { type: "null" }] },
    expect: "widened",
    codes: ["schema.type-widened"],
  },

  // keywords the comparer does not model
  {
    name: "not added (conservative)",
    before: { type: ["string", "null"] },
    after: { type: ["string", "null"], not: { type: "null" } },
    expect: "narrowed",
    codes: ["schema.enum-narrowed", "schema.not-provable"],
  },
  {
    name: "identical propertyNames cancel",
    before: { type: "object", propertyNames: { maxLength: 3 } },
    after: { type: "object", propertyNames: { maxLength: 3 }, additionalProperties: true },
    expect: "equivalent",
  },
  {
    name: "propertyNames added",
    before: { type: "object" },
    after: { type: "object", propertyNames: { maxLength: 3 } },
    expect: "narrowed",
    codes: ["schema.not-provable"],
  },
  {
    name: "unevaluatedProperties added",
    before: obj({ a: str }),
    after: obj({ a: str }, { unevaluatedProperties: false }),
    expect: "narrowed",
    codes: ["schema.not-provable"],
  },
  {
    name: "patternProperties changed",
    before: { type: "object", patternProperties: { "^x": str } },
    after: { type: "object", patternProperties: { "^x": int } },
    expect: "changed",
    codes: ["schema.not-provable"],
  },

  // depth
  {
    name: "nested item property",
    before: obj({ items: { type: "array", items: obj({ sku: { type: "string", minLength: 1 } }) } }),
    after: obj({ items: { type: "array", items: obj({ sku: { type: "string", minLength: 3 } }) } }),
    expect: "narrowed",
    codes: ["schema.bounds-narrowed"],
    at: "items[].sku",
  },
];

/** Values as Trellis senders encode them: `v.object`-style schemas carry only what they declare. */
const WIRE: Row[] = [
  {
    name: "optional property added",
    before: obj({ a: str }),
    after: obj({ a: str, b: int }),
    expect: "equivalent",
    codes: ["schema.optional-property-added"],
  },
  {
    name: "optional property removed",
    before: obj({ a: str, b: int }),
    after: obj({ a: str }),
    expect: "equivalent",
    codes: ["schema.optional-property-removed"],
  },
  {
    name: "required property added",
    before: obj({ a: str }, { required: ["a"] }),
    after: obj({ a: str, b: int }, { required: ["a", "b"] }),
    expect: "narrowed",
    codes: ["schema.required-added"],
  },
  {
    name: "required property removed",
    before: obj({ a: str, b: int }, { required: ["a", "b"] }),
    after: obj({ a: str }, { required: ["a"] }),
    expect: "widened",
    codes: ["schema.required-removed"],
  },
  {
    name: "a loose object may carry anything",
    before: obj({ a: str }, { additionalProperties: {} }),
    after: obj({ a: str, b: int }, { additionalProperties: {} }),
    expect: "narrowed",
    codes: ["schema.type-narrowed"],
  },
  {
    name: "an object without properties is open",
    before: { type: "object" },
    after: obj({ a: str }),
    expect: "narrowed",
    codes: ["schema.type-narrowed"],
  },
  {
    name: "identical schemas are compatible, even odd ones",
    before: obj({ a: str }, { required: ["b"] }),
    after: obj({ a: str }, { required: ["b"] }),
    expect: "equivalent",
  },
  {
    name: "nested optional property in an array item",
    before: obj({ items: { type: "array", items: obj({ sku: str }) } }),
    after: obj({ items: { type: "array", items: obj({ sku: str, note: str }) } }),
    expect: "equivalent",
    codes: ["schema.optional-property-added"],
    at: "items[]",
  },
];

function verdictOf(oldInNew: boolean, newInOld: boolean): Verdict {
  if (oldInNew && newInOld) return "equivalent";
  if (oldInNew) return "widened";
  if (newInOld) return "narrowed";
  return "changed";
}

const flip: Record<Verdict, Verdict> = {
  equivalent: "equivalent",
  widened: "narrowed",
  narrowed: "widened",
  changed: "changed",
};

function check(row: Row, values: "any" | "wire"): void {
  const comparison = compareSchemas(row.before, row.after, { values });
  expect(verdictOf(comparison.oldInNew, comparison.newInOld)).toBe(row.expect);
  if (row.codes !== undefined) expect([...new Set(comparison.changes.map((c) => c.code))].sort()).toEqual(row.codes);
  if (row.at !== undefined) expect(comparison.changes.map((c) => c.at)).toContain(row.at);
  // Every failure of a proof is reported, and only then.
  expect(comparison.changes.some((c) => c.narrows)).toBe(!comparison.oldInNew);
  expect(comparison.changes.some((c) => c.widens)).toBe(!comparison.newInOld);
  // The same pair read the other way round proves the mirrored inclusions.
  const reverse = compareSchemas(row.after, row.before, { values });
  expect(verdictOf(reverse.oldInNew, reverse.newInOld)).toBe(flip[row.expect]);
}

describe("schema comparison (any JSON value)", () => {
  for (const row of VALUES) test(row.name, () => check(row, "any"));
});

describe("schema comparison (values as senders encode them)", () => {
  for (const row of WIRE) test(row.name, () => check(row, "wire"));
});

describe("schemaAccepts", () => {
  test("a failed proof names the place and says what changed, from old to new", () => {
    const inclusion = schemaAccepts(
      obj({ items: { type: "array", items: obj({ sku: { type: "string", minLength: 3 } }) } }),
      obj({ items: { type: "array", items: obj({ sku: { type: "string", minLength: 1 } }) } }),
    );
    expect(inclusion.proven).toBe(false);
    expect(inclusion.reasons.map((r) => r.message)).toEqual(["items[].sku: minLength 1 → 3"]);
  });

  test("the new-in-old orientation words the same difference as a widening", () => {
    const inclusion = schemaAccepts(obj({ a: str }, { required: ["a"] }), obj({ a: str }), {
      orientation: "new-in-old",
    });
    expect(inclusion.proven).toBe(false);
    expect(inclusion.reasons[0]!.message).toBe("'a' is no longer required");
  });

  test("unsure means not proven, with a message saying so", () => {
    const inclusion = schemaAccepts({ type: "string", format: "uuid" }, { enum: ["x"] });
    expect(inclusion.proven).toBe(false);
    expect(inclusion.reasons[0]!.message).toStartWith("could not prove compatibility");
  });

  test("deeply nested schemas are not compared forever", () => {
    let before: JsonSchema = str;
    let after: JsonSchema = int;
    for (let i = 0; i < 200; i++) {
      before = obj({ a: before });
      after = obj({ a: after });
    }
    const inclusion = schemaAccepts(after, before);
    expect(inclusion.proven).toBe(false);
  });
});
