import * as v from "valibot";
import type { ValidationIssue } from "../errors/builtin.ts";
import { quote } from "../schema/json-type.ts";
import { contractNamespace } from "./identity.ts";
import { issueAt, type RuleContext } from "./issue.ts";
import { DOTTED_NAME, MAX_NAME_LENGTH } from "./names.ts";

/**
 * Capability keys (contracts.md §2.9): lists hold `admin`, `service` or a
 * global key `<ns>::<local>`; the top-level declarations must be in the
 * manifest's own namespace `NS(id)`.
 */
export const PLATFORM_CAPABILITIES: readonly string[] = ["admin", "service"];

export type CapabilityKeyParts = { namespace: string; local: string };

export function parseCapabilityKey(key: string): CapabilityKeyParts | undefined {
  if (key.length > 2 * MAX_NAME_LENGTH + 2) return undefined;
  const at = key.indexOf("::");
  if (at === -1) return undefined;
  const namespace = key.slice(0, at);
  const local = key.slice(at + 2);
  return DOTTED_NAME.test(namespace) && DOTTED_NAME.test(local) ? { namespace, local } : undefined;
}

export function isCapabilityReference(entry: string): boolean {
  return PLATFORM_CAPABILITIES.includes(entry) || parseCapabilityKey(entry) !== undefined;
}

/** An all-of list of capabilities, each entry checked where it stands. */
export const capabilityList = v.array(
  v.pipe(
    v.string(),
    v.check(
      isCapabilityReference,
      (issue) => `invalid capability ${quote(String(issue.input))}: expected 'admin', 'service' or '<namespace>::<name>'`,
    ),
  ),
);

export function checkCapabilityDeclarations({ manifest }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const namespace = contractNamespace(manifest.id);
  for (const key of Object.keys(manifest.capabilities ?? {})) {
    const parts = parseCapabilityKey(key);
    if (parts === undefined || parts.namespace !== namespace) {
      issues.push(
        issueAt(["capabilities", key], `capability key ${quote(key)} must be '${namespace}::<name>' (the contract's namespace)`),
      );
    }
  }
  return issues;
}
