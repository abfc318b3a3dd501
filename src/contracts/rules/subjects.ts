import type { ValidationIssue } from "../errors/builtin.ts";
import type { SurfaceKind } from "../manifest/types.ts";
import { quote } from "../schema/json-type.ts";
import { isPayloadPointer } from "../schema/pointer.ts";
import { isTemplateToken } from "../subjects/wildcard.ts";
import { issueAt, type PathTokens, type RuleContext } from "./issue.ts";
import { entriesOf, type LooseManifest } from "./loose.ts";

/**
 * Subject well-formedness (contracts.md §8 leaves it open; §2.7 covers event
 * templates). A surface subject must sit in its kind's namespace (`rpc.`,
 * `operations.`, `events.`, `feeds.`): the stream `trellis` only captures
 * `events.>`, and a service is granted subscribe on its own subjects, so a
 * subject elsewhere could reach into `$JS`, `_INBOX` or job subjects. Tokens
 * are non-empty runs of letters, digits, `_` and `-` (no wildcards, no
 * whitespace); only event subjects may hold `{<json-pointer>}` tokens.
 */
export const MAX_SUBJECT_LENGTH = 512;

export const SUBJECT_ROOT: Readonly<Record<SurfaceKind, string>> = {
  rpc: "rpc",
  operation: "operations",
  event: "events",
  feed: "feeds",
};

const TOKEN = /^[A-Za-z0-9_-]+$/;
/** Characters a template pointer may not hold: they would break the subject. */
const TEMPLATE_UNSAFE = /[\s*>]/u;

export function subjectProblem(subject: string, kind: SurfaceKind): string | undefined {
  if (subject.length > MAX_SUBJECT_LENGTH) return `must be at most ${MAX_SUBJECT_LENGTH} characters`;
  const root = SUBJECT_ROOT[kind];
  const tokens = subject.split(".");
  if (tokens[0] !== root || tokens.length < 2) return `must start with '${root}.' followed by at least one token`;
  if (kind === "event") {
    const braces = braceProblem(subject);
    if (braces !== undefined) return braces;
  }
  for (const token of tokens) {
    if (token === "") return "must not have empty tokens (a leading, trailing or doubled '.')";
    if (TOKEN.test(token)) continue;
    if (kind === "event" && isTemplateToken(token)) {
      const pointer = token.slice(1, -1);
      if (!isPayloadPointer(pointer) || TEMPLATE_UNSAFE.test(pointer)) {
        return `template ${quote(token)} must hold a JSON Pointer starting with '/', with '~' only as '~0' or '~1' and no whitespace, '*' or '>'`;
      }
      continue;
    }
    if (kind === "event" && /[{}]/.test(token)) return `template in ${quote(token)} must fill a whole token`;
    const templates = /[{}]/.test(token) ? " (templates '{...}' are allowed only in event subjects)" : "";
    return `token ${quote(token)} may contain only letters, digits, '_' and '-'${templates}`;
  }
  return undefined;
}

/** Unbalanced or nested braces, or a `.` inside a template (§2.7). */
function braceProblem(subject: string): string | undefined {
  let open = false;
  for (const char of subject) {
    if (char === "{") {
      if (open) return "has nested braces";
      open = true;
    } else if (char === "}") {
      if (!open) return "has an unbalanced '}'";
      open = false;
    } else if (char === "." && open) {
      return "template pointers must not contain '.'";
    }
  }
  return open ? "has an unbalanced '{'" : undefined;
}

/** The pointers of an event subject's `{...}` tokens, in order. */
export function subjectTemplatePointers(subject: string): string[] {
  return subject
    .split(".")
    .filter(isTemplateToken)
    .map((token) => token.slice(1, -1));
}

export type SurfaceSubject = { kind: SurfaceKind; name: string; subject: string; path: PathTokens };

/** Every readable surface subject of a manifest, in section order, with its path. */
export function surfaceSubjects(m: LooseManifest): SurfaceSubject[] {
  const sections: [SurfaceKind, string, Readonly<Record<string, { subject?: string } | undefined>> | undefined][] = [
    ["rpc", "rpc", m.rpc],
    ["operation", "operations", m.operations],
    ["event", "events", m.events],
    ["feed", "feeds", m.feeds],
  ];
  return sections.flatMap(([kind, section, surfaces]) =>
    entriesOf(surfaces).flatMap(([name, { subject }]) =>
      subject === undefined ? [] : [{ kind, name, subject, path: [section, name, "subject"] }],
    ),
  );
}

export function checkSubjects({ manifest }: RuleContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const { kind, subject, path } of surfaceSubjects(manifest)) {
    const problem = subjectProblem(subject, kind);
    if (problem !== undefined) issues.push(issueAt(path, problem));
  }
  return issues;
}
