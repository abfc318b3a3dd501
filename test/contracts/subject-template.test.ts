import { describe, expect, test } from "bun:test";
import { encodeSubjectToken, fillSubjectTemplate, subscriptionSubject } from "../../src/contracts/index.ts";

const CHANGED = "events.v1.Partner.Changed.{/partner/origin}.{/partner/id}";

describe("encodeSubjectToken", () => {
  const cases: [string, string | number | boolean, string][] = [
    ["plain text stays", "acme", "acme"],
    ["space", "eu west", "eu~20~west"],
    ["dot", "a.b", "a~2E~b"],
    ["star", "*", "~2A~"],
    ["greater-than", "a>", "a~3E~"],
    ["tilde, the escape character itself", "~20~", "~7E~20~7E~"],
    ["NUL", "a\u0000b", "a~0~b"],
    ["tab and newline", "\t\n", "~9~~A~"],
    ["unicode whitespace: no-break space, ideographic space", "a\u00a0b\u3000", "a~A0~b~3000~"],
    ["empty gets _", "", "_"],
    ["$-leading gets _", "$x", "_$x"],
    ["$ later is kept", "x$", "x$"],
    ["an escape at the start is not $", ".x", "~2E~x"],
    ["integer", 42, "42"],
    ["negative integer", -7, "-7"],
    ["decimal: the dot is escaped", 1.5, "1~2E~5"],
    ["large number uses JS stringification", 1e21, "1e+21"],
    ["boolean", true, "true"],
    ["non-ASCII letters stay", "café-日本", "café-日本"],
    ["astral characters stay whole", "a😀.b", "a😀~2E~b"],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => expect(encodeSubjectToken(input)).toBe(expected));
  }

  test("results never contain a separator, wildcard or whitespace", () => {
    for (const [, input] of cases) expect(encodeSubjectToken(input)).not.toMatch(/[.*>\s\u0000]/u);
  });
});

describe("fillSubjectTemplate", () => {
  test("fills each placeholder with its encoded payload value", () => {
    const filled = fillSubjectTemplate(CHANGED, { partner: { origin: "eu west", id: 42 } });
    expect(filled.orThrow()).toBe("events.v1.Partner.Changed.eu~20~west.42");
  });

  test("a subject without placeholders is returned unchanged", () => {
    expect(fillSubjectTemplate("events.v2.Partner.Ping", { anything: 1 }).orThrow()).toBe("events.v2.Partner.Ping");
  });

  test("null or missing values fail with the pointer as issue path, all of them reported", () => {
    const result = fillSubjectTemplate(CHANGED, { partner: { origin: null } });
    expect(result.isErr() && result.error.type).toBe("ValidationError");
    expect(result.isErr() && result.error.issues.map((i) => i.path)).toEqual(["/partner/origin", "/partner/id"]);
  });

  test("a missing parent object is a missing value", () => {
    const result = fillSubjectTemplate(CHANGED, {});
    expect(result.isErr() && result.error.issues.map((i) => i.path)).toEqual(["/partner/origin", "/partner/id"]);
    expect(fillSubjectTemplate(CHANGED, null).isErr()).toBe(true);
  });

  test("a non-scalar value is refused rather than stringified", () => {
    const result = fillSubjectTemplate(CHANGED, { partner: { origin: { nested: true }, id: [1] } });
    expect(result.isErr() && result.error.issues.map((i) => i.path)).toEqual(["/partner/origin", "/partner/id"]);
  });

  test("pointer segments are decoded: ~1 is /, ~0 is ~", () => {
    expect(fillSubjectTemplate("x.{/a~1b/c~0d}", { "a/b": { "c~d": "v" } }).orThrow()).toBe("x.v");
    // ~01 decodes to ~1 (not /): ~1 is replaced first.
    expect(fillSubjectTemplate("x.{/~01}", { "~1": "tilde-one", "/": "slash" }).orThrow()).toBe("x.tilde-one");
  });

  test("a pointer containing a dot stays one placeholder", () => {
    expect(fillSubjectTemplate("x.{/a.b}.y", { "a.b": "v" }).orThrow()).toBe("x.v.y");
  });

  test("array elements are reachable by index", () => {
    expect(fillSubjectTemplate("x.{/items/1}", { items: ["a", "b"] }).orThrow()).toBe("x.b");
    expect(fillSubjectTemplate("x.{/items/01}", { items: ["a", "b"] }).isErr()).toBe(true);
  });

  test("inherited properties are not payload values", () => {
    expect(fillSubjectTemplate("x.{/toString}", {}).isErr()).toBe(true);
  });

  test("malformed templates fail", () => {
    for (const subject of ["x.{/a", "x./a}", "x.{/a{/b}}", "x.{a}", "x.{/a~2}"]) {
      expect(fillSubjectTemplate(subject, { a: "1" }).isErr()).toBe(true);
    }
  });
});

describe("subscriptionSubject", () => {
  test("absent values become *", () => {
    expect(subscriptionSubject(CHANGED, {}).orThrow()).toBe("events.v1.Partner.Changed.*.*");
    expect(subscriptionSubject(CHANGED).orThrow()).toBe("events.v1.Partner.Changed.*.*");
    expect(subscriptionSubject(CHANGED, { partner: { origin: null } }).orThrow()).toBe("events.v1.Partner.Changed.*.*");
  });

  test("given values are encoded as a publisher would; '*' stays a wildcard", () => {
    expect(subscriptionSubject(CHANGED, { partner: { origin: "eu.west" } }).orThrow()).toBe(
      "events.v1.Partner.Changed.eu~2E~west.*",
    );
    expect(subscriptionSubject(CHANGED, { partner: { origin: "*", id: 7 } }).orThrow()).toBe(
      "events.v1.Partner.Changed.*.7",
    );
  });

  test("a filter matches the filled subject of a matching payload", () => {
    const payload = { partner: { origin: "a b", id: "x>y" } };
    expect(subscriptionSubject(CHANGED, payload).orThrow()).toBe(fillSubjectTemplate(CHANGED, payload).orThrow());
  });

  test("a non-scalar filter value is an error", () => {
    expect(subscriptionSubject(CHANGED, { partner: { origin: ["a"] } }).isErr()).toBe(true);
  });
});
