import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  accessorPath,
  lowerCamel,
  pascalCase,
  type AccessorGroup,
  type AccessorLeaf,
} from "../../src/runtime/index.ts";
import { buildAccessors } from "../../src/runtime/facade/accessor-names.ts";

/** tooling.md §2.2, at run time and in the types. */
describe("accessor names", () => {
  test("Pascal case splits on non-alphanumerics and capitalises only first letters", () => {
    assert.equal(pascalCase("Jobs.ListDLQ"), "JobsListDLQ");
    assert.equal(pascalCase("get_user-name"), "GetUserName");
    assert.equal(lowerCamel("Requests.Validate"), "requestsValidate");
  });

  test("A.B.C → lowerCamel(A).lowerCamel(B.C); a single part is both", () => {
    assert.deepStrictEqual(accessorPath("Orders.Create"), ["orders", "create"]);
    assert.deepStrictEqual(accessorPath("Auth.Requests.Validate"), ["auth", "requestsValidate"]);
    assert.deepStrictEqual(accessorPath("Ping"), ["ping", "ping"]);
    assert.deepStrictEqual(accessorPath("Orders._"), ["orders", "x"]);
  });

  test("the types compute the same accessors", () => {
    const group: AccessorGroup<"Auth.Requests.Validate"> = "auth";
    const leaf: AccessorLeaf<"Auth.Requests.Validate"> = "requestsValidate";
    const ping: [AccessorGroup<"Ping">, AccessorLeaf<"Ping">] = ["ping", "ping"];
    // @ts-expect-error: not the accessor
    const wrong: AccessorLeaf<"Jobs.ListDLQ"> = "listDlq";
    assert.equal([group, leaf, ...ping, wrong].length, 5);
  });

  test("names sharing an accessor get numeric suffixes in sorted order, as generated SDKs do", () => {
    const tree = buildAccessors({ "Orders.create": 2, "Orders.Create": 1, "Orders.Get": 3 }, (value) => value);
    assert.deepStrictEqual(tree, { orders: { create: 1, create2: 2, get: 3 } });
  });
});
