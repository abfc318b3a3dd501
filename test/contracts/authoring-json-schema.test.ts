import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { addGlobalDefs } from "@valibot/to-json-schema";
import { canonicalJson, defineServiceContract, emitJsonSchema } from "../../src/contracts/index.ts";
import { definitionIssues } from "./fixtures/authoring/expect-definition-error.ts";

const emit = (schema: v.GenericSchema) => emitJsonSchema(schema).orThrow();
const ALLOWED_TYPES = new Set(["array", "boolean", "integer", "null", "number", "object", "string"]);

/** Every `type` keyword value of a schema, walking only subschema positions. */
function typeKeywords(schema: unknown): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const s = schema as Record<string, unknown>;
  const found: string[] = [];
  if (typeof s.type === "string") found.push(s.type);
  if (Array.isArray(s.type)) found.push(...(s.type as string[]));
  for (const key of ["properties", "patternProperties"]) {
    for (const child of Object.values((s[key] as Record<string, unknown>) ?? {})) found.push(...typeKeywords(child));
  }
  for (const key of ["items", "additionalItems", "additionalProperties", "propertyNames", "not", "contains"]) {
    const child = s[key];
    if (Array.isArray(child)) child.forEach((c) => found.push(...typeKeywords(c)));
    else found.push(...typeKeywords(child));
  }
  for (const key of ["anyOf", "oneOf", "allOf"])
    ((s[key] as unknown[]) ?? []).forEach((c) => found.push(...typeKeywords(c)));
  return found;
}

describe("valibot → JSON Schema", () => {
  test("optional, nullable, nullish and defaults inside objects", () => {
    expect(
      emit(
        v.object({
          a: v.string(),
          b: v.optional(v.number()),
          c: v.nullable(v.string()),
          d: v.nullish(v.boolean()),
          e: v.optional(v.string(), "x"),
        }),
      ),
    ).toEqual({
      type: "object",
      properties: {
        a: { type: "string" },
        b: { type: "number" },
        c: { anyOf: [{ type: "string" }, { type: "null" }] },
        d: { anyOf: [{ type: "boolean" }, { type: "null" }] },
        e: { type: "string", default: "x" },
      },
      required: ["a", "c"],
    });
  });

  test("pipes become keywords; integers are 'integer'", () => {
    expect(emit(v.pipe(v.string(), v.minLength(1), v.maxLength(5), v.regex(/^a/)))).toEqual({
      type: "string",
      minLength: 1,
      maxLength: 5,
      pattern: "^a",
    });
    expect(emit(v.pipe(v.number(), v.integer(), v.minValue(0), v.gtValue(-1)))).toEqual({
      type: "integer",
      minimum: 0,
      exclusiveMinimum: -1,
    });
  });

  test("unions, variants, intersections, literals, enums, picklists", () => {
    expect(emit(v.union([v.string(), v.number()]))).toEqual({ anyOf: [{ type: "string" }, { type: "number" }] });
    expect(emit(v.variant("k", [v.object({ k: v.literal("a") }), v.object({ k: v.literal(2) })]))).toEqual({
      oneOf: [
        { type: "object", properties: { k: { const: "a" } }, required: ["k"] },
        { type: "object", properties: { k: { const: 2 } }, required: ["k"] },
      ],
    });
    expect(emit(v.intersect([v.object({ a: v.string() }), v.object({ b: v.string() })])).allOf).toHaveLength(2);
    expect(emit(v.enum({ A: "a", B: "b" }))).toEqual({ enum: ["a", "b"], type: "string" });
    expect(emit(v.picklist(["a", 1]))).toEqual({ enum: ["a", 1], type: ["string", "number"] });
  });

  test("records, arrays, strict objects and tuples in a 2019-09 compatible form", () => {
    expect(emit(v.record(v.string(), v.number()))).toEqual({
      type: "object",
      propertyNames: { type: "string" },
      additionalProperties: { type: "number" },
    });
    expect(emit(v.array(v.string()))).toEqual({ type: "array", items: { type: "string" } });
    expect(emit(v.strictObject({ a: v.string() }))).toEqual({
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: false,
    });
    // 2019-09 has no `prefixItems`: tuples are `items: [...]` plus `additionalItems`.
    expect(emit(v.strictTuple([v.string(), v.number()]))).toEqual({
      type: "array",
      items: [{ type: "string" }, { type: "number" }],
      minItems: 2,
      additionalItems: false,
    });
  });

  test("no $schema key; any/unknown are the empty schema", () => {
    expect(emit(v.string())).toEqual({ type: "string" });
    expect(emit(v.unknown())).toEqual({});
  });

  test("type keywords only name the manifest's JSON types", () => {
    const broad = v.object({
      s: v.string(),
      n: v.number(),
      i: v.pipe(v.number(), v.integer()),
      b: v.boolean(),
      z: v.null(),
      a: v.array(v.nullable(v.string())),
      r: v.record(v.string(), v.union([v.number(), v.literal("x")])),
      t: v.tupleWithRest([v.string()], v.boolean()),
      p: v.picklist(["a", 1]),
      o: v.nullish(v.object({ deep: v.array(v.pipe(v.number(), v.safeInteger())) })),
    });
    const types = typeKeywords(emit(broad));
    expect(types.length).toBeGreaterThan(10);
    expect(types.filter((type) => !ALLOWED_TYPES.has(type))).toEqual([]);
  });

  test("type-only actions (brand, readonly) are ignored", () => {
    expect(emit(v.pipe(v.string(), v.brand("NoteId")))).toEqual({ type: "string" });
    expect(emit(v.pipe(v.object({}), v.readonly()))).toEqual({ type: "object", properties: {}, required: [] });
  });

  test("lazy schemas, recursive or not, are refused with a clear error", () => {
    type Tree = { name: string; children: Tree[] };
    const TreeSchema: v.GenericSchema<Tree> = v.object({
      name: v.string(),
      children: v.array(v.lazy(() => TreeSchema)),
    });
    for (const schema of [TreeSchema, v.object({ a: v.lazy(() => v.string()) })]) {
      const result = emitJsonSchema(schema);
      expect(result.isErr()).toBe(true);
      if (result.isErr()) expect(result.error.issues[0]?.message).toContain("recursive and lazy schemas need $ref");
    }
  });

  test("global definitions are not turned into $ref", () => {
    const Shared = v.object({ x: v.string() });
    addGlobalDefs({ Shared });
    expect(emit(v.object({ a: Shared }))).toEqual({
      type: "object",
      properties: { a: { type: "object", properties: { x: { type: "string" } }, required: ["x"] } },
      required: ["a"],
    });
  });

  test("transformations and JS-only schemas are refused", () => {
    for (const schema of [
      v.pipe(v.string(), v.transform(Number)),
      v.date(),
      v.pipe(
        v.string(),
        v.check((s) => s !== ""),
      ),
    ]) {
      const result = emitJsonSchema(schema);
      expect(result.isErr() && result.error.issues[0]?.message.startsWith("cannot be emitted as JSON Schema")).toBe(
        true,
      );
    }
  });

  test("deterministic: function defaults are dropped, repeated emission is identical", () => {
    const schema = v.object({ at: v.optional(v.number(), () => Math.random()), tag: v.optional(v.string(), "t") });
    const first = emit(schema);
    expect(first.properties).toEqual({ at: { type: "number" }, tag: { type: "string", default: "t" } });
    expect(canonicalJson(emit(schema)).orThrow()).toBe(canonicalJson(first).orThrow());
  });

  test("non-JSON values (a NaN default) are refused", () => {
    const result = emitJsonSchema(v.object({ n: v.optional(v.number(), Number.NaN) }));
    expect(result.isErr() && result.error.issues[0]?.path).toBe("/properties/n/default");
  });

  test("a contract with an unconvertible schema names the schema", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas: { When: v.date() } }, () => ({
        id: "x@v1",
        displayName: "X",
        description: "X.",
      })),
    );
    expect(issues[0]?.path).toBe("/schemas/When");
  });

  test("emission copies: mutating the output does not touch metadata of the valibot schema", () => {
    const examples = ["a"];
    const schema = v.pipe(v.string(), v.examples(examples));
    const out = emit(schema);
    (out.examples as string[]).push("b");
    expect(examples).toEqual(["a"]);
  });
});
