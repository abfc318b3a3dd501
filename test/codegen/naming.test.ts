import { describe, expect, test } from "bun:test";
import {
  accessorPath,
  lowerCamelCase,
  packageDirOf,
  packageNameFor,
  packageNameProblem,
  pascalCase,
} from "../../src/codegen/index.ts";
import { NameAllocator, uniqueInSortedOrder } from "../../src/codegen/naming.ts";

/** Naming rules of tooling.md §2.2, with the spec's own examples. */
describe("naming", () => {
  test("package names and directories", () => {
    expect(packageNameFor("acme.orders@v1")).toBe("@trellis-sdk/acme-orders");
    expect(packageNameFor("acme.orders-web@v2", { prefix: "@acme/" })).toBe("@acme/acme-orders-web");
    expect(packageNameFor("acme.orders@v1", { names: { "acme.orders@v1": "orders-sdk" } })).toBe("orders-sdk");
    expect(packageDirOf("@trellis-sdk/acme-orders")).toBe("acme-orders");
    expect(packageDirOf("plain")).toBe("plain");
    expect(packageNameProblem("@scope/name")).toBeUndefined();
    for (const bad of ["../evil", "@scope/../x", "a/b", "", "has space"]) expect(packageNameProblem(bad)).toBeDefined();
  });

  test("Pascal, lowerCamel and accessors", () => {
    expect(pascalCase("Jobs.ListDLQ")).toBe("JobsListDLQ");
    expect(pascalCase("acme.orders-web")).toBe("AcmeOrdersWeb");
    expect(lowerCamelCase("Requests.Validate")).toBe("requestsValidate");
    expect(accessorPath("Orders.Create")).toEqual(["orders", "create"]);
    expect(accessorPath("Auth.Requests.Validate")).toEqual(["auth", "requestsValidate"]);
    expect(accessorPath("Ping")).toEqual(["ping", "ping"]);
    expect(accessorPath("Orders.__x")).toEqual(["orders", "x"]);
  });

  test("collisions get numeric suffixes in sorted order, whatever order names were asked for", () => {
    const names = new NameAllocator();
    names.request("b", "OrderInput");
    names.request("a", "OrderInput");
    names.request("c", "Object");
    names.allocate();
    expect([names.name("a"), names.name("b"), names.name("c")]).toEqual(["OrderInput", "OrderInput2", "Object2"]);
    expect(
      uniqueInSortedOrder([
        ["Orders.create", "create"],
        ["Orders.Create", "create"],
      ]),
    ).toEqual(
      new Map([
        ["Orders.Create", "create"],
        ["Orders.create", "create2"],
      ]),
    );
  });
});
