import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { loadManifest } from "../../src/contracts/index.ts";
import { renderSdkPackage } from "../../src/codegen/index.ts";
import { REPO_ROOT } from "../support/cli.ts";

/**
 * JSON Schema → valibot for what hand-written manifests may hold beyond what
 * authoring emits: tuples, `not`, `oneOf` without a discriminator, pattern
 * properties, dependencies, `if`/`then`/`else`, constants that are objects,
 * uniqueness, `contains`, draft-4 exclusive bounds. The expectations are the
 * JSON Schema semantics, written out by hand; the generated `schemas.ts` is
 * imported and run.
 */

const SCHEMAS: Record<string, unknown> = {
  Tuple: { type: "array", items: [{ type: "string" }, { type: "integer" }], minItems: 1, additionalItems: false },
  TupleRest: { type: "array", items: [{ type: "string" }], minItems: 1, additionalItems: { type: "boolean" } },
  Not: { type: "string", not: { enum: ["forbidden"] } },
  OneOf: { oneOf: [{ type: "integer" }, { type: "number", minimum: 10 }] },
  Variant: {
    oneOf: [
      { type: "object", properties: { kind: { const: "a" }, x: { type: "number" } }, required: ["kind", "x"] },
      { type: "object", properties: { kind: { const: "b" } }, required: ["kind"] },
    ],
  },
  Patterned: {
    type: "object",
    properties: { name: { type: "string" } },
    patternProperties: { "^x-": { type: "number" } },
    additionalProperties: false,
  },
  Dependent: {
    type: "object",
    properties: { card: { type: "string" }, cvc: { type: "string" } },
    dependencies: { card: ["cvc"] },
  },
  Conditional: {
    type: "object",
    if: { properties: { kind: { const: "big" } }, required: ["kind"] },
    then: { properties: { size: { minimum: 100 } } },
    else: { properties: { size: { maximum: 10 } } },
  },
  ObjectConst: { const: { a: [1, 2] } },
  Unique: { type: "array", uniqueItems: true, items: {} },
  Contains: { type: "array", contains: { type: "string" }, minContains: 2 },
  Draft4: { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: true },
  Names: { type: "object", propertyNames: { maxLength: 3 } },
  Typeless: { minLength: 2, minimum: 3 },
  Mixed: { type: ["string", "null"], maxLength: 2 },
  EnumFiltered: { enum: ["a", "bbbb", 7, 12], maxLength: 3, maximum: 10 },
  Multiple: { type: "number", multipleOf: 0.5 },
  Uuid: { type: "string", format: "uuid" },
  Email: { type: "string", format: "email" },
  Unevaluated: { type: "object", unevaluatedProperties: false },
  Nothing: false,
  Anything: true,
  Required: { type: "object", required: ["must"] },
  Nested: {
    type: "object",
    properties: {
      tuple: { type: "array", items: [{ type: "string" }, { type: "integer" }], minItems: 1, additionalItems: false },
    },
    required: ["tuple"],
  },
};

const CASES: Record<string, [accepted: unknown[], rejected: unknown[]]> = {
  Tuple: [
    [["a"], ["a", 1]],
    [[], [1], ["a", 1.5], ["a", 1, "extra"], {}],
  ],
  TupleRest: [
    [["a"], ["a", true, false]],
    [[], ["a", "b"], [1]],
  ],
  Not: [
    ["ok", ""],
    ["forbidden", 1],
  ],
  OneOf: [
    [1, 2, 11.5],
    [12, 2.5, "x"],
  ],
  Variant: [
    [
      { kind: "a", x: 1 },
      { kind: "b", extra: 1 },
    ],
    [{ kind: "a" }, { kind: "c" }, [], {}],
  ],
  Patterned: [
    [{ name: "n" }, { "x-a": 1 }, {}],
    [{ "x-a": "s" }, { other: 1 }, []],
  ],
  Dependent: [[{}, { cvc: "1" }, { card: "c", cvc: "1" }], [{ card: "c" }]],
  Conditional: [
    [{ kind: "big", size: 200 }, { size: 5 }, {}],
    [
      { kind: "big", size: 50 },
      { kind: "small", size: 50 },
    ],
  ],
  ObjectConst: [[{ a: [1, 2] }], [{ a: [2, 1] }, { a: [1, 2], b: 1 }, null]],
  Unique: [
    [[], [1, "1"], [{ a: 1 }, { a: 2 }]],
    [
      [1, 1],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
    ],
  ],
  Contains: [
    [
      ["a", "b"],
      [1, "a", "b"],
    ],
    [["a"], [1, 2]],
  ],
  Draft4: [
    [0.1, 4.9],
    [0, 5, -1],
  ],
  Names: [[{ abc: 1 }, {}], [{ abcd: 1 }]],
  Typeless: [
    ["ab", 3, true, null, {}, []],
    ["a", 2],
  ],
  Mixed: [
    ["ab", null],
    ["abc", 1],
  ],
  EnumFiltered: [
    ["a", 7],
    ["bbbb", 12],
  ],
  Multiple: [[1.5, 2], [1.2]],
  Uuid: [["123e4567-e89b-12d3-a456-426614174000"], ["not-a-uuid"]],
  Email: [["not-an-email", "a@b.c"], [1]],
  Unevaluated: [[{}, { any: 1 }], [[]]],
  Nothing: [[], [null, 1, {}]],
  Anything: [[null, 1, {}, []], []],
  Required: [[{ must: null }], [{}, { other: 1 }]],
  Nested: [[{ tuple: ["a", 1] }], [{ tuple: ["a", 1, 2] }, { tuple: [] }]],
};

function manifest(): Record<string, unknown> {
  return {
    format: "trellis.contract.v1",
    id: "acme.shapes@v1",
    displayName: "Shapes",
    description: "Schemas beyond what authoring emits.",
    kind: "service",
    schemas: SCHEMAS,
    rpc: {
      "Shapes.Echo": {
        version: "v1",
        subject: "rpc.v1.Shapes.Echo",
        input: { schema: "Tuple" },
        output: { schema: "Tuple" },
      },
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "trellis-shapes-"));
symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function render(raw: Record<string, unknown>) {
  const loaded = loadManifest(raw).orThrow();
  return renderSdkPackage({
    manifest: loaded.manifest,
    digest: loaded.digest,
    canonical: loaded.canonical,
    source: "shapes.json",
    packageName: "@trellis-sdk/acme-shapes",
    version: "1.0.0",
    runtimeImport: "@trellis/runtime",
    dependencies: new Map(),
    peerVersions: { runtime: "0.1.0", valibot: "1.5.0" },
  });
}

describe("JSON Schema → valibot beyond authoring", () => {
  const rendered = render(manifest()).orThrow();
  const schemasTs = rendered.files.find((f) => f.path === "schemas.ts")!.contents;

  test("each schema accepts and rejects what JSON Schema says", async () => {
    const path = join(dir, "schemas.ts");
    writeFileSync(path, schemasTs);
    const module = (await import(path)) as { SCHEMAS: Record<string, v.GenericSchema> };
    for (const [name, [accepted, rejected]] of Object.entries(CASES)) {
      const schema = module.SCHEMAS[name]!;
      for (const value of accepted)
        expect({ name, value, ok: v.safeParse(schema, value).success }).toEqual({ name, value, ok: true });
      for (const value of rejected)
        expect({ name, value, ok: v.safeParse(schema, value).success }).toEqual({ name, value, ok: false });
    }
  });

  test("what is not enforced is noted with its pointer, never dropped silently", () => {
    expect(rendered.notes).toContainEqual({
      pointer: "/schemas/Email/format",
      message: "format 'email' is an annotation (JSON Schema 2019-09) and is not asserted by the SDK validator",
    });
    expect(rendered.notes).toContainEqual({
      pointer: "/schemas/Unevaluated/unevaluatedProperties",
      message: "'unevaluatedProperties' is not enforced by the SDK validator",
    });
    const readme = rendered.files.find((f) => f.path === "README.md")!.contents;
    expect(readme).toContain("## Validator notes");
    expect(readme).toContain("`/schemas/Unevaluated/unevaluatedProperties`");
  });

  test("types follow the same reading (tuples with optional positions, variants, nullable, constants)", () => {
    expect(schemasTs).toContain("export type Tuple = [string, (number | undefined)?];");
    expect(schemasTs).toContain("export type TupleRest = [string, ...boolean[]];");
    expect(schemasTs).toContain('export type Variant = { kind: "a"; x: number } | { kind: "b" };');
    expect(schemasTs).toContain('v.variant("kind", [');
    expect(schemasTs).toContain("export type Mixed = string | null;");
    expect(schemasTs).toContain("export type ObjectConst = { a: [1, 2] };");
    expect(schemasTs).toContain("export type Nothing = never;");
    expect(schemasTs).toContain("export type Nested = { tuple: Tuple };");
  });

  test("a keyword that cannot be compiled fails generation with its pointer", () => {
    const broken = manifest();
    broken.schemas = { ...SCHEMAS, Bad: { type: "string", pattern: "([a-" }, Worse: { type: "string", minLength: -1 } };
    const result = render(broken);
    expect(result.isErr()).toBe(true);
    if (result.isErr()) {
      expect(result.error.issues).toContainEqual({
        path: "/schemas/Bad/pattern",
        message: "'([a-' is not a valid regular expression",
      });
      expect(result.error.issues).toContainEqual({
        path: "/schemas/Worse/minLength",
        message: "must be a non-negative integer",
      });
    }
  });

  test("rendering is pure: the same manifest gives the same bytes, in any key order", () => {
    const again = render(manifest()).orThrow();
    const reordered = manifest();
    reordered.schemas = Object.fromEntries(Object.entries(SCHEMAS).reverse());
    const third = render(reordered).orThrow();
    expect(again.files).toEqual(rendered.files);
    expect(third.files).toEqual(rendered.files);
  });
});
