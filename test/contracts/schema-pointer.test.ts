import { describe, expect, test } from "bun:test";
import {
  checkSchemaPointer,
  isPayloadPointer,
  isTokenable,
  parsePointer,
  resolvePointerInSchema,
} from "../../src/contracts/index.ts";

describe("parsePointer (RFC 6901)", () => {
  test("decodes ~1 before ~0", () => {
    expect(parsePointer("")).toEqual([]);
    expect(parsePointer("/")).toEqual([""]);
    expect(parsePointer("/a~1b/c~0d/~01")).toEqual(["a/b", "c~d", "~1"]);
  });
  test("refuses non-pointers", () => {
    for (const text of ["a", "a/b", "/a~", "/a~2", "/~x"]) expect(parsePointer(text)).toBeUndefined();
  });
  test("payload pointers start with / (the root is not one)", () => {
    expect(isPayloadPointer("/a")).toBe(true);
    expect(isPayloadPointer("")).toBe(false);
    expect(isPayloadPointer("/a~3")).toBe(false);
  });
});

describe("Resolve", () => {
  const str = { type: "string" };
  test("properties, segment by segment; no segments gives the schema itself", () => {
    const schema = { properties: { a: { properties: { "b/c": str } } } };
    expect(resolvePointerInSchema(schema, [])).toEqual({ found: true, leaves: [schema] });
    expect(resolvePointerInSchema(schema, ["a", "b/c"])).toEqual({ found: true, leaves: [str] });
    expect(resolvePointerInSchema(schema, ["a", "x"])).toEqual({ found: false, leaves: [] });
    expect(resolvePointerInSchema(true, ["a"])).toEqual({ found: false, leaves: [] });
  });

  test("allOf: found if any branch is", () => {
    const schema = { allOf: [{ properties: { a: str } }, { properties: { b: str } }] };
    expect(resolvePointerInSchema(schema, ["a"]).found).toBe(true);
    expect(resolvePointerInSchema(schema, ["c"]).found).toBe(false);
  });

  test("anyOf/oneOf: found only if every variant is; leaves before the first failure count", () => {
    const num = { type: "number" };
    const all = { anyOf: [{ properties: { a: str } }, { properties: { a: num } }] };
    expect(resolvePointerInSchema(all, ["a"])).toEqual({ found: true, leaves: [str, num] });
    const partial = { oneOf: [{ properties: { a: str } }, { properties: {} }, { properties: { a: num } }] };
    expect(resolvePointerInSchema(partial, ["a"])).toEqual({ found: false, leaves: [str] });
    // An empty anyOf is skipped, not vacuously found.
    expect(resolvePointerInSchema({ anyOf: [] }, ["a"]).found).toBe(false);
  });

  test("arrays are never traversed", () => {
    expect(resolvePointerInSchema({ type: "array", items: str }, ["0"]).found).toBe(false);
  });
});

describe("Tokenable", () => {
  test("yes", () => {
    for (const schema of [
      { type: "string" },
      { type: "integer" },
      { type: ["string", "number"] },
      { const: "x" },
      { const: 3 },
      { enum: ["a", 1] },
      { allOf: [{ type: "string" }, { minLength: 1, type: "string" }] },
      { anyOf: [{ type: "string" }, { type: "integer" }] },
      { oneOf: [{ const: "a" }, { enum: [1, 2] }] },
    ]) {
      expect(isTokenable(schema)).toBe(true);
    }
  });
  test("no", () => {
    for (const schema of [
      true,
      false,
      "string",
      {},
      { type: "object" },
      { type: "boolean" },
      { type: ["string", "null"] },
      { type: [] },
      { enum: [] },
      { enum: ["a", null] },
      { const: true },
      { anyOf: [{ type: "string" }, { type: "boolean" }] },
      // allOf is checked before type: its members decide.
      { type: "string", allOf: [{ minLength: 1 }] },
    ]) {
      expect(isTokenable(schema)).toBe(false);
    }
  });
  test("enum decides once present; a non-scalar const falls through to the next rule", () => {
    expect(isTokenable({ enum: [true], type: "string" })).toBe(false);
    expect(isTokenable({ const: true, type: "string" })).toBe(true);
  });
});

describe("checkSchemaPointer", () => {
  const schema = {
    type: "object",
    properties: {
      id: { anyOf: [{ type: "string" }, { type: "integer" }] },
      meta: { type: "object" },
      flag: { type: "boolean" },
    },
  };
  test("valid iff found and every leaf is tokenable", () => {
    expect(checkSchemaPointer(schema, "/id").isOk()).toBe(true);
    expect(checkSchemaPointer(schema, "/meta").isErr()).toBe(true);
    expect(checkSchemaPointer(schema, "/flag").isErr()).toBe(true);
    expect(checkSchemaPointer(schema, "/nope").isErr()).toBe(true);
    expect(checkSchemaPointer(schema, "id").isErr()).toBe(true);
  });
  test("resolution only, when tokens are not needed", () => {
    expect(checkSchemaPointer(schema, "/meta", { requireTokenable: false }).isOk()).toBe(true);
    expect(checkSchemaPointer(schema, "/nope", { requireTokenable: false }).isErr()).toBe(true);
  });
});
