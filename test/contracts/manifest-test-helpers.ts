import { expect } from "bun:test";
import { parseManifest, type ValidationIssue } from "../../src/contracts/index.ts";

/** A mutable JSON object, as tests build and mutate manifests. */
export type Json = Record<string, any>;

export function issuesOf(input: unknown): ValidationIssue[] {
  const result = parseManifest(input);
  return result.isErr() ? result.error.issues : [];
}

/** Asserts the input is rejected with an issue at exactly `path` whose message matches. */
export function expectRejected(input: unknown, path: string, message?: RegExp | string): ValidationIssue[] {
  const result = parseManifest(input);
  if (result.isOk()) throw new Error(`expected an issue at '${path}', but the manifest was accepted`);
  const issues = result.error.issues;
  const atPath = issues.filter((issue) => issue.path === path);
  if (atPath.length === 0) throw new Error(`no issue at '${path}'; got ${JSON.stringify(issues, null, 1)}`);
  if (message !== undefined) {
    const matches = atPath.some((issue) =>
      typeof message === "string" ? issue.message.includes(message) : message.test(issue.message),
    );
    if (!matches) throw new Error(`issue at '${path}' does not match ${String(message)}: ${JSON.stringify(atPath)}`);
  }
  // The throws above carry the details; this records the assertion.
  expect(atPath.length).toBeGreaterThan(0);
  return issues;
}

export function expectAccepted(input: unknown): void {
  const result = parseManifest(input);
  if (result.isErr()) throw new Error(`expected acceptance, got ${JSON.stringify(result.error.issues, null, 1)}`);
  expect(result.isOk()).toBe(true);
}

/** A copy of `base` changed by `change`. */
export function changed(base: Json, change: (m: Json) => void): Json {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}
