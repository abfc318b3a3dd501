import type { ValidationIssue } from "../errors/builtin.ts";
import { wildcardSubject } from "../subjects/wildcard.ts";
import { issueAt, type PathTokens, type RuleContext } from "./issue.ts";
import { MAX_SURFACES, surfaceCount } from "./limits.ts";
import type { LooseManifest } from "./loose.ts";
import { subjectProblem, surfaceSubjects } from "./subjects.ts";

/**
 * §2.11: no two subjects of one manifest may have equal or overlapping
 * `W(subject)` forms, an operation's `<subject>.control` included. A token
 * trie keeps this near linear for large manifests instead of comparing
 * every pair.
 */

type OwnedSubject = { wildcard: string; label: string; path: PathTokens };

/** Well-formed subjects only: a malformed one is reported by `checkSubjects` alone. */
function ownedSubjects(manifest: LooseManifest): OwnedSubject[] {
  const owned: OwnedSubject[] = [];
  for (const { kind, name, subject, path } of surfaceSubjects(manifest)) {
    if (subjectProblem(subject, kind) !== undefined) continue;
    owned.push({ wildcard: wildcardSubject(subject), label: `${kind} '${name}'`, path });
    if (kind === "operation") {
      owned.push({
        wildcard: wildcardSubject(`${subject}.control`),
        label: `the control subject of operation '${name}'`,
        path,
      });
    }
  }
  return owned;
}

type TrieNode = { children: Map<string, TrieNode>; owner: OwnedSubject | undefined };

const newNode = (): TrieNode => ({ children: new Map(), owner: undefined });

/**
 * The first earlier subject that can match a concrete subject this one
 * matches, depth first with an early exit, so a manifest full of equal or
 * overlapping subjects stays linear instead of listing every pair.
 */
function firstOverlap(node: TrieNode, tokens: readonly string[], at: number): OwnedSubject | undefined {
  if (at === tokens.length) return node.owner;
  const token = tokens[at]!;
  if (token === "*") {
    for (const child of node.children.values()) {
      const found = firstOverlap(child, tokens, at + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const exact = node.children.get(token);
  const viaExact = exact === undefined ? undefined : firstOverlap(exact, tokens, at + 1);
  if (viaExact !== undefined) return viaExact;
  const wildcard = node.children.get("*");
  return wildcard === undefined ? undefined : firstOverlap(wildcard, tokens, at + 1);
}

/** Keeps the first owner of a subject: later equal ones are reported against it. */
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
  node.owner ??= owner;
}

/** One issue per subject that overlaps an earlier one, naming the first it overlaps. */
export function checkSubjectOverlap({ manifest }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (surfaceCount(manifest) > MAX_SURFACES) return issues; // refused by checkSurfaceCount; keeps this bounded
  const root = newNode();
  for (const subject of ownedSubjects(manifest)) {
    const tokens = subject.wildcard.split(".");
    const earlier = firstOverlap(root, tokens, 0);
    if (earlier !== undefined) {
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
