// Assertions node:assert lacks, for the tests that run on Bun and on Node.js (node:test).
import assert from "node:assert/strict";

/** `value instanceof type`, narrowing `value`; the message names what it was instead. */
export function assertInstanceOf<T>(
  value: unknown,
  type: abstract new (...args: never[]) => T,
  message?: string,
): asserts value is T {
  if (value instanceof type) return;
  const actual = value === null || typeof value !== "object" ? String(value) : value.constructor?.name;
  assert.fail(message ?? `expected an instance of ${type.name}, got ${actual}`);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** `actual` reduced to the keys `expected` names, at every depth (arrays element by element). */
function project(actual: unknown, expected: unknown): unknown {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.map((item, i) => (i < expected.length ? project(item, expected[i]) : item));
  }
  if (isRecord(expected) && !Array.isArray(expected) && isRecord(actual) && !Array.isArray(actual)) {
    if (expected instanceof RegExp || expected instanceof Date) return actual;
    return Object.fromEntries(
      Object.keys(expected)
        .filter((key) => key in actual)
        .map((key) => [key, project(actual[key], expected[key])]),
    );
  }
  return actual;
}

/**
 * `actual` has every member of `expected` with an equal value, at every depth, and may
 * have more (bun's `toMatchObject`). Arrays must have the same length. Class instances
 * are compared by their own members, so an error can match a plain object.
 */
export function assertMatch(actual: unknown, expected: unknown, message?: string): void {
  assert.deepStrictEqual(project(actual, expected), expected, message);
}

/** `actual` is a string containing `part` (bun's `toContain` on strings). */
export function assertIncludes(actual: unknown, part: string, message?: string): void {
  if (typeof actual === "string" && actual.includes(part)) return;
  assert.fail(message ?? `expected ${JSON.stringify(actual)} to include ${JSON.stringify(part)}`);
}
