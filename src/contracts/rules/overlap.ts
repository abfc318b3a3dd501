import type { ValidationIssue } from "../errors/builtin.ts";
import { wildcardSubject } from "../subjects/wildcard.ts";
import { issueAt, type PathTokens, type RuleContext } from "./issue.ts";
import type { LooseManifest } from "./loose.ts";
import { subjectProblem, surfaceSubjects } from "./subjects.ts";

/**
 * §2.11: no two subjects of one manifest may have equal or overlapping
 * `W(subject)` forms, an operation's `<subject>.control` included. A token
 * trie keeps this linear in practice for large manifests instead of
 * comparing every pair.
 */

type OwnedSubject = { wildcard: string; label: string; path: PathTokens };

/** Well-formed subjects only: a malformed one is reported by `checkSubjects` alone. */
function ownedSubjects(manifest: LooseManifest): OwnedSubject[] {
  const owned: OwnedSubject[] = [];
  for (const { kind, name, subject, path } of surfaceSubjects(manifest)) {
    if (subjectProblem(subject, kind) !== undefined) continue;
    owned.push({ wildcard: wildcardSubject(subject), label: `${kind} '${name}'`, path });
    if (kind === "operation") {
      owned.push({ wildcard: wildcardSubject(`${subject}.control`), label: `the control subject of operation '${name}'`, path });
    }
  }
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
          ? `subject '${subject.wildcard}' (${subject.label}) is already used by ${earlier.label}`
          : `subject '${subject.wildcard}' (${subject.label}) overlaps '${earlier.wildcard}' (${earlier.label})`;
      issues.push(issueAt(subject.path, message));
    }
    insert(root, tokens, subject);
  }
  return issues;
}
