import type { ValidationIssue } from "../errors/builtin.ts";
import { quote } from "../schema/json-type.ts";
import { contractNamespace, isContractId } from "./identity.ts";
import { issueAt, type PathTokens, type RuleContext } from "./issue.ts";
import { entriesOf, itemsOf, type LooseManifest } from "./loose.ts";
import { isDottedName } from "./names.ts";

/**
 * Capability keys (contracts.md §2.9): lists hold `admin`, `service` or a
 * global key `<ns>::<local>`; the top-level declarations must be in the
 * manifest's own namespace `NS(id)`. Lists need not name declared keys:
 * they may gate on another contract's capabilities.
 */
export const PLATFORM_CAPABILITIES: readonly string[] = ["admin", "service"];

export type CapabilityKeyParts = { namespace: string; local: string };

export function parseCapabilityKey(key: string): CapabilityKeyParts | undefined {
  const at = key.indexOf("::");
  if (at === -1) return undefined;
  const namespace = key.slice(0, at);
  const local = key.slice(at + 2);
  return isDottedName(namespace) && isDottedName(local) ? { namespace, local } : undefined;
}

export function isCapabilityReference(entry: string): boolean {
  return PLATFORM_CAPABILITIES.includes(entry) || parseCapabilityKey(entry) !== undefined;
}

/** Every capability list entry is `admin`, `service` or a well-formed `<ns>::<local>` key. */
export function checkCapabilityLists({ manifest }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const { path, list } of capabilityLists(manifest)) {
    for (const [index, entry] of itemsOf(list)) {
      if (!isCapabilityReference(entry)) {
        issues.push(
          issueAt(
            [...path, index],
            `invalid capability ${quote(entry)}: expected 'admin', 'service' or '<namespace>::<name>'`,
          ),
        );
      }
    }
  }
  return issues;
}

type CapabilityList = { path: PathTokens; list: readonly (string | undefined)[] };
type CapabilityLists = Readonly<Record<string, readonly (string | undefined)[] | undefined>>;

function capabilityLists(m: LooseManifest): CapabilityList[] {
  const lists: CapabilityList[] = [];
  const add = (section: string, name: string, capabilities: CapabilityLists | undefined) => {
    for (const [action, list] of entriesOf(capabilities))
      lists.push({ path: [section, name, "capabilities", action], list });
  };
  for (const [name, rpc] of entriesOf(m.rpc)) add("rpc", name, rpc.capabilities);
  for (const [name, op] of entriesOf(m.operations)) add("operations", name, op.capabilities);
  for (const [name, event] of entriesOf(m.events)) add("events", name, event.capabilities);
  for (const [name, feed] of entriesOf(m.feeds)) add("feeds", name, feed.capabilities);
  return lists;
}

export function checkCapabilityDeclarations({ manifest }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const id = manifest.id;
  if (id === undefined || !isContractId(id)) return issues; // no namespace to compare with; the id is reported
  const namespace = contractNamespace(id);
  for (const key of Object.keys(manifest.capabilities ?? {})) {
    const parts = parseCapabilityKey(key);
    if (parts === undefined || parts.namespace !== namespace) {
      issues.push(
        issueAt(
          ["capabilities", key],
          `capability key ${quote(key)} must be '${namespace}::<name>' (the contract's namespace)`,
        ),
      );
    }
  }
  return issues;
}
