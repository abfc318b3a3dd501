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

/** A path as a parent-linked list, so pushing a child costs O(1) even at 10k levels. */
type PathNode = { parent: PathNode | undefined; token: string | number } | undefined;

function pathPointer(node: PathNode): string {
  const tokens: (string | number)[] = [];
  for (let at = node; at !== undefined; at = at.parent) tokens.push(at.token);
  return pointerOf(tokens.reverse());
}

/**
 * Finds what keeps a value from being pure JSON (contracts.md §2.1): non-finite
 * numbers, `-0`, lone surrogates, cycles, and anything that is not null,
 * boolean, number, string, array or plain object. Iterative, so deep nesting
 * is safe; a container shared by several parents is checked once.
 */
export function findImpureJson(value: unknown, limit = 20): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const onPath = new Set<object>();
  const checked = new Set<object>();
  const stack: ({ value: unknown; path: PathNode } | { leave: object })[] = [{ value, path: undefined }];
  while (stack.length > 0 && issues.length < limit) {
    const frame = stack.pop()!;
    if ("leave" in frame) {
      onPath.delete(frame.leave);
      checked.add(frame.leave);
      continue;
    }
    const { value: current, path } = frame;
    const problem = describeImpurity(current);
    if (problem !== undefined) {
      issues.push({ path: pathPointer(path), message: `not a pure JSON value: ${problem}` });
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (onPath.has(current)) {
      issues.push({ path: pathPointer(path), message: "not a pure JSON value: cyclic reference" });
      continue;
    }
    if (checked.has(current)) continue;
    onPath.add(current);
    stack.push({ leave: current });
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: { parent: path, token: i } });
    } else {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (!key.isWellFormed()) {
          issues.push({ path: pathPointer({ parent: path, token: key }), message: "not a pure JSON value: key has a lone surrogate" });
          continue;
        }
        stack.push({ value: child, path: { parent: path, token: key } });
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
