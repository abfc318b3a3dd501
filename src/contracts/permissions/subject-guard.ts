import { isTemplateToken } from "../subjects/wildcard.ts";

/**
 * Guards that keep derived grants no broader than the contract subjects they
 * come from. Manifest validation should already exclude these subjects; the
 * checks here make permission derivation fail closed if one slips through.
 */

/**
 * Why `W(subject)` of a surface subject would grant more than that surface,
 * or undefined when it is narrow. Only whole `{pointer}` tokens may become
 * wildcards; literal `*`/`>`, reserved namespaces (`$JS`, `$SYS`, `_INBOX`)
 * and malformed tokens are refused.
 */
export function surfaceSubjectProblem(subject: string): string | undefined {
  const tokens = subject.split(".");
  const first = tokens[0] ?? "";
  if (first.startsWith("$") || first === "_INBOX") return "lies in a reserved namespace ($..., _INBOX)";
  if (isTemplateToken(first)) return "starts with a placeholder";
  for (const token of tokens) {
    if (token === "") return "has an empty token";
    if (isTemplateToken(token)) continue;
    if (/[*>]/.test(token)) return "contains a literal wildcard ('*' or '>')";
    if (/[{}]/.test(token)) return "has a brace that is not a whole placeholder token";
    if (/\s/u.test(token)) return "contains whitespace";
  }
  return undefined;
}

/**
 * Last line of defence in the grant functions: no grant may ever hold `>`,
 * an `_INBOX` or `$...` subject (`_INBOX.>`, `$JS.API.>`), or a `>` token.
 * Rules from `deriveRules` never do, so a hit is a bug, hence the throw.
 */
export function assertGrantableSubject(subject: string): void {
  const tokens = subject.split(".");
  const first = tokens[0] ?? "";
  if (tokens.includes(">") || first.startsWith("$") || first === "_INBOX" || tokens.includes("")) {
    throw new Error(`refusing to grant subject '${subject}': broader than any contract surface`);
  }
}
