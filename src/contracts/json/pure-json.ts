import type { ValidationIssue } from "../errors/builtin.ts";

/** A value that survives a JSON round trip unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** RFC 6901 escaping of one reference token. */
export function escapePointerToken(token: string | number): string {
  return String(token).replaceAll("~", "~0").replaceAll("/", "~1");
}

export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((token) => `/${escapePointerToken(token)}`).join("");
}

/**
 * Finds what keeps a value from being pure JSON (contracts.md §2.1): non-finite
 * numbers, `-0`, lone surrogates, and anything that is not null, boolean,
 * number, string, array or plain object. Iterative, so deep nesting is safe.
 */
export function findImpureJson(value: unknown, limit = 20): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && issues.length < limit) {
    const { value: current, path } = stack.pop()!;
    const problem = describeImpurity(current);
    if (problem !== undefined) {
      issues.push({ path: pointerOf(path), message: `not a pure JSON value: ${problem}` });
      continue;
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: [...path, i] });
    } else if (typeof current === "object" && current !== null) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (!key.isWellFormed()) {
          issues.push({ path: pointerOf([...path, key]), message: "not a pure JSON value: key has a lone surrogate" });
          continue;
        }
        stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return issues;
}

function describeImpurity(value: unknown): string | undefined {
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value)) return `${value} is not finite`;
      if (Object.is(value, -0)) return "-0";
      return undefined;
    case "string":
      return value.isWellFormed() ? undefined : "string has a lone surrogate";
    case "boolean":
      return undefined;
    case "object":
      if (value === null || Array.isArray(value)) return undefined;
      {
        const proto = Object.getPrototypeOf(value);
        return proto === Object.prototype || proto === null ? undefined : "not a plain object";
      }
    default:
      return `${typeof value} has no JSON form`;
  }
}
