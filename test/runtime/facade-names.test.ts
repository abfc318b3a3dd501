import { describe, expect, test } from "bun:test";
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
    expect(pascalCase("Jobs.ListDLQ")).toBe("JobsListDLQ");
    expect(pascalCase("get_user-name")).toBe("GetUserName");
    expect(lowerCamel("Requests.Validate")).toBe("requestsValidate");
  });

  test("A.B.C → lowerCamel(A).lowerCamel(B.C); a single part is both", () => {
    expect(accessorPath("Orders.Create")).toEqual(["orders", "create"]);
    expect(accessorPath("Auth.Requests.Validate")).toEqual(["auth", "requestsValidate"]);
    expect(accessorPath("Ping")).toEqual(["ping", "ping"]);
    expect(accessorPath("Orders._")).toEqual(["orders", "x"]);
  });

  test("the types compute the same accessors", () => {
    const group: AccessorGroup<"Auth.Requests.Validate"> = "auth";
    const leaf: AccessorLeaf<"Auth.Requests.Validate"> = "requestsValidate";
    const ping: [AccessorGroup<"Ping">, AccessorLeaf<"Ping">] = ["ping", "ping"];
    // @ts-expect-error: not the accessor
    const wrong: AccessorLeaf<"Jobs.ListDLQ"> = "listDlq";
    expect([group, leaf, ...ping, wrong]).toHaveLength(5);
  });

  test("names sharing an accessor get numeric suffixes in sorted order, as generated SDKs do", () => {
    const tree = buildAccessors({ "Orders.create": 2, "Orders.Create": 1, "Orders.Get": 3 }, (value) => value);
    expect(tree).toEqual({ orders: { create: 1, create2: 2, get: 3 } });
  });
});
