import { describe, expect, test } from "bun:test";
import { canonicalJson, type JsonValue } from "../../src/contracts/index.ts";
import { intBelow, pick, seededRandom, type Random } from "./prng.ts";

const KEYS = ["a", "b", "B", "10", "9", "0", "01", "é", "\u2028", "😀", "", "__proto__", "z z", "aa", "a\u0000"];
const NUMBERS = [
  0,
  1,
  -1,
  0.1,
  1e21,
  1e-7,
  -1.5e-7,
  123456789012345680000,
  2 ** 53,
  5e-324,
  1.7976931348623157e308,
  3.14,
];
const STRINGS = ["", "x", "é", "\u2028", '"quoted"', "back\\slash", "\n\t\u0001", "😀", "\ud83d\ude00"];

function randomJson(random: Random, depth: number): JsonValue {
  const roll = intBelow(random, depth > 3 ? 4 : 7);
  switch (roll) {
    case 0:
      return pick(random, NUMBERS);
    case 1:
      return pick(random, STRINGS);
    case 2:
      return pick(random, [true, false, null]);
    case 3:
      return pick(random, NUMBERS) * (random() < 0.5 ? 1 : -1) || 0;
    case 4:
    case 5: {
      const out: Record<string, JsonValue> = {};
      for (let i = intBelow(random, 5); i > 0; i--) {
        Object.defineProperty(out, pick(random, KEYS), {
          value: randomJson(random, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    default:
      return Array.from({ length: intBelow(random, 4) }, () => randomJson(random, depth + 1));
  }
}

/** RFC 8785 written out plainly, as an oracle: keys in UTF-16 order, scalars as JSON.stringify writes them. */
function referenceJcs(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(referenceJcs).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${referenceJcs(value[key]!)}`).join(",")}}`;
}

describe("canonicalJson", () => {
  test("agrees with a plain reference JCS on 3,000 random values", () => {
    const random = seededRandom(8785);
    for (let i = 0; i < 3000; i++) {
      const value = randomJson(random, 0);
      expect(canonicalJson(value).orThrow()).toBe(referenceJcs(value));
    }
  });

  test("deep nesting is JCS while the serializer copes, and an Err (not a crash) beyond", () => {
    const nested = (levels: number) => {
      let value: JsonValue = "leaf";
      let expected = '"leaf"';
      for (let i = 0; i < levels; i++) {
        value = { b: [value], a: i };
        expected = `{"a":${i},"b":[${expected}]}`;
      }
      return { value, expected };
    };
    // 6,000 levels: deep, still within the recursive `canonicalize`.
    const moderate = nested(3000);
    expect(canonicalJson(moderate.value).orThrow()).toBe(moderate.expected);
    // 100,000 levels: no recursive writer survives; the caller gets a ValidationError.
    const deep = nested(50_000);
    const result = canonicalJson(deep.value);
    expect(result.isErr() && result.error.issues[0]?.message).toBe("nested too deeply to serialize");
  });

  test("integer-like keys sort by UTF-16 code units, not numerically", () => {
    expect(canonicalJson({ "9": 1, "10": 2, b: 3, a: 4 }).orThrow()).toBe('{"10":2,"9":1,"a":4,"b":3}');
  });

  test("an own __proto__ member is written as a member", () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"y":1,"x":2}}')).orThrow()).toBe(
      '{"__proto__":{"x":2,"y":1},"b":1}',
    );
  });

  test("-0, non-finite numbers and lone surrogates are rejected, not written", () => {
    for (const value of [-0, { a: [-0] }, Number.NaN, Number.POSITIVE_INFINITY, "\ud800", { "\udc00": 1 }]) {
      expect(canonicalJson(value).isErr()).toBe(true);
    }
  });
});
