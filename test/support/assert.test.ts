import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertIncludes, assertInstanceOf, assertMatch } from "./assert.ts";

class Failure extends Error {
  constructor(readonly context: Record<string, unknown>) {
    super("failed");
  }
}

describe("the shared assertions", () => {
  test("assertMatch accepts extra members at any depth and compares class instances by their members", () => {
    assertMatch({ a: 1, b: { c: [1, { d: 2, e: 3 }], f: 4 }, g: 5 }, { a: 1, b: { c: [1, { d: 2 }] } });
    assertMatch(new Failure({ code: "x", extra: true }), { message: "failed", context: { code: "x" } });
  });

  test("assertMatch refuses a different value, a missing member and a different array length", () => {
    assert.throws(() => assertMatch({ a: 1 }, { a: 2 }), assert.AssertionError);
    assert.throws(() => assertMatch({ a: 1 }, { a: 1, b: undefined }), assert.AssertionError);
    assert.throws(() => assertMatch({ list: [1, 2] }, { list: [1] }), assert.AssertionError);
    assert.throws(() => assertMatch(undefined, { a: 1 }), assert.AssertionError);
  });

  test("assertInstanceOf narrows and names what it got instead", () => {
    const value: unknown = new Failure({});
    assertInstanceOf(value, Failure);
    assert.deepStrictEqual(value.context, {});
    assert.throws(() => assertInstanceOf(false, Failure), /expected an instance of Failure, got false/);
    assert.throws(() => assertInstanceOf(new Error("x"), Failure), /got Error/);
  });

  test("assertIncludes needs a string that contains the part", () => {
    assertIncludes("has no binding for audit", "no binding");
    assert.throws(() => assertIncludes("has a binding", "no binding"), assert.AssertionError);
    assert.throws(() => assertIncludes(false, "false"), assert.AssertionError);
  });
});
