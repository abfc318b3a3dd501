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
 * is safe; a container shared by several parents is checked once. Only
 * containers are stacked (scalars are checked in place), which keeps this
 * cheap on large manifests.
 */
export function findImpureJson(value: unknown, limit = 20): ValidationIssue[] {
  return isPureJsonQuick(value) ? [] : describeImpureJson(value, limit);
}

/** Node visits the quick check may make: far beyond any manifest, small enough to end cycles fast. */
const QUICK_CHECK_BUDGET = 5_000_000;

/**
 * The common case, about five times faster than the full walk: true only if
 * the value is pure JSON. It keeps no paths and no visited sets, so a cycle
 * or a heavily shared structure just exhausts the budget and the full walk
 * decides.
 */
function isPureJsonQuick(value: unknown): boolean {
  const stack: unknown[] = [value];
  let budget = QUICK_CHECK_BUDGET;
  while (stack.length > 0) {
    if (--budget < 0) return false;
    const current = stack.pop();
    if (typeof current !== "object" || current === null) {
      if (describeImpurity(current) !== undefined) return false;
    } else if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) stack.push(current[i]);
    } else {
      if (describeImpurity(current) !== undefined) return false;
      for (const key of Object.keys(current)) {
        if (!key.isWellFormed()) return false;
        stack.push((current as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}

function describeImpureJson(value: unknown, limit: number): ValidationIssue[] {
  const rootProblem = describeImpurity(value);
  if (rootProblem !== undefined) return [{ path: "", message: `not a pure JSON value: ${rootProblem}` }];
  if (typeof value !== "object" || value === null) return [];

  const issues: ValidationIssue[] = [];
  const report = (path: PathNode, problem: string) =>
    issues.push({ path: pathPointer(path), message: `not a pure JSON value: ${problem}` });
  const onPath = new Set<object>();
  const checked = new Set<object>();
  const stack: ({ container: object; path: PathNode } | { leave: object })[] = [{ container: value, path: undefined }];
  const visit = (child: unknown, parent: PathNode, token: string | number) => {
    const problem = describeImpurity(child);
    if (problem !== undefined) report({ parent, token }, problem);
    else if (typeof child === "object" && child !== null) stack.push({ container: child, path: { parent, token } });
  };
  while (stack.length > 0 && issues.length < limit) {
    const frame = stack.pop()!;
    if ("leave" in frame) {
      onPath.delete(frame.leave);
      checked.add(frame.leave);
      continue;
    }
    const { container, path } = frame;
    if (onPath.has(container)) {
      report(path, "cyclic reference");
      continue;
    }
    if (checked.has(container)) continue;
    onPath.add(container);
    stack.push({ leave: container });
    if (Array.isArray(container)) {
      for (let i = container.length - 1; i >= 0; i--) visit(container[i], path, i);
    } else {
      const keys = Object.keys(container);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (key.isWellFormed()) visit((container as Record<string, unknown>)[key], path, key);
        else report({ parent: path, token: key }, "key has a lone surrogate");
      }
    }
  }
  return issues.slice(0, limit);
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
