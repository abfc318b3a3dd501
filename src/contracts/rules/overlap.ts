import type { ValidationIssue } from "../errors/builtin.ts";
import type { Manifest, SurfaceKind } from "../manifest/types.ts";
import { wildcardSubject } from "../subjects/wildcard.ts";
import { issueAt, type PathTokens, type RuleContext } from "./issue.ts";

/**
 * §2.11: no two subjects of one manifest may have equal or overlapping
 * `W(subject)` forms, an operation's `<subject>.control` included. A token
 * trie keeps this linear in practice for large manifests instead of
 * comparing every pair.
 */

type OwnedSubject = { wildcard: string; label: string; path: PathTokens };

export function ownedSubjects(manifest: Manifest): OwnedSubject[] {
  const owned: OwnedSubject[] = [];
  const add = (kind: SurfaceKind, section: string, name: string, subject: string) => {
    owned.push({ wildcard: wildcardSubject(subject), label: `${kind} '${name}'`, path: [section, name, "subject"] });
  };
  for (const [name, rpc] of Object.entries(manifest.rpc ?? {})) add("rpc", "rpc", name, rpc.subject);
  for (const [name, operation] of Object.entries(manifest.operations ?? {})) {
    add("operation", "operations", name, operation.subject);
    owned.push({
      wildcard: wildcardSubject(`${operation.subject}.control`),
      label: `the control subject of operation '${name}'`,
      path: ["operations", name, "subject"],
    });
  }
  for (const [name, event] of Object.entries(manifest.events ?? {})) add("event", "events", name, event.subject);
  for (const [name, feed] of Object.entries(manifest.feeds ?? {})) add("feed", "feeds", name, feed.subject);
  return owned;
}

type TrieNode = { children: Map<string, TrieNode>; owners: OwnedSubject[] };

const newNode = (): TrieNode => ({ children: new Map(), owners: [] });

/** Every earlier subject that can match a concrete subject this one matches. */
function overlapping(root: TrieNode, tokens: readonly string[]): OwnedSubject[] {
  const found: OwnedSubject[] = [];
  let frontier: TrieNode[] = [root];
  for (const token of tokens) {
    const next: TrieNode[] = [];
    for (const node of frontier) {
      if (token === "*") {
        next.push(...node.children.values());
        continue;
      }
      const exact = node.children.get(token);
      if (exact !== undefined) next.push(exact);
      const wildcard = node.children.get("*");
      if (wildcard !== undefined) next.push(wildcard);
    }
    if (next.length === 0) return found;
    frontier = next;
  }
  for (const node of frontier) found.push(...node.owners);
  return found;
}

function insert(root: TrieNode, tokens: readonly string[], owner: OwnedSubject): void {
  let node = root;
  for (const token of tokens) {
    let child = node.children.get(token);
    if (child === undefined) {
      child = newNode();
      node.children.set(token, child);
    }
    node = child;
  }
  node.owners.push(owner);
}

export function checkSubjectOverlap({ manifest }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const root = newNode();
  for (const subject of ownedSubjects(manifest)) {
    const tokens = subject.wildcard.split(".");
    for (const earlier of overlapping(root, tokens)) {
      const message =
        earlier.wildcard === subject.wildcard
          ? `subject '${subject.wildcard}' (${subject.label}) is also the subject of ${earlier.label}`
          : `subject '${subject.wildcard}' (${subject.label}) overlaps '${earlier.wildcard}' (${earlier.label})`;
      issues.push(issueAt(subject.path, message));
    }
    insert(root, tokens, subject);
  }
  return issues;
}
