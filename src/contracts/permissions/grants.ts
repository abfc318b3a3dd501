import { assertGrantableSubject } from "./subject-guard.ts";
import type { PermissionRule } from "./types.ts";

/**
 * Combining rules into what an approval stores (auth.md §6.2). Both functions
 * return sorted, unique lists, and refuse (throw) a subject no contract
 * surface can produce: `>`, `_INBOX...`, `$...`.
 */

/** The capability, publish and subscribe sets of an approval. */
export type Grant = { capabilities: string[]; publishSubjects: string[]; subscribeSubjects: string[] };

/**
 * User sessions (`app`/`agent`): all-or-nothing. The user must hold every
 * capability any rule requires (see `missingCapabilities`), and then gets
 * every rule subject.
 */
export function grantForUser(rules: readonly PermissionRule[]): Grant {
  return {
    capabilities: su(rules.flatMap((r) => r.requiredCaps)),
    ...subjectsOf(rules),
  };
}

/** A rule approval could not grant, and the capabilities it lacked. */
export type UnmetRule = { rule: PermissionRule; missingCaps: string[] };

export type ServiceGrant = Grant & {
  /** Every rule whose requiredCaps are not all in `G`. */
  unmet: UnmetRule[];
  /**
   * The unmet rules of required `uses` aliases: approval should refuse while
   * any remain. Unmet optional-alias or own-event rules only narrow the grant.
   */
  blocking: UnmetRule[];
};

/**
 * Service sessions: per rule. `granted` is the admin's set `G`; `service` is
 * always in it. A subject is included iff some rule on it has
 * `requiredCaps ⊆ G`. `capabilities` is `SU(G)`, what the approval records.
 */
export function grantForService(rules: readonly PermissionRule[], granted: readonly string[]): ServiceGrant {
  const g = new Set([...granted, "service"]);
  const met: PermissionRule[] = [];
  const unmet: UnmetRule[] = [];
  for (const rule of rules) {
    const missingCaps = rule.requiredCaps.filter((cap) => !g.has(cap));
    if (missingCaps.length === 0) met.push(rule);
    else unmet.push({ rule, missingCaps });
  }
  return {
    capabilities: su(g),
    ...subjectsOf(met),
    unmet,
    blocking: unmet.filter(({ rule }) => rule.origin.source === "uses" && rule.origin.group === "required"),
  };
}

/** `required` minus `held`, sorted: empty iff a principal holding `held` satisfies the all-of list. */
export function missingCapabilities(required: readonly string[], held: readonly string[]): string[] {
  const have = new Set(held);
  return su(required.filter((cap) => !have.has(cap)));
}

function subjectsOf(rules: readonly PermissionRule[]): Pick<Grant, "publishSubjects" | "subscribeSubjects"> {
  for (const rule of rules) assertGrantableSubject(rule.subject);
  return {
    publishSubjects: su(rules.filter((r) => r.dir === "pub").map((r) => r.subject)),
    subscribeSubjects: su(rules.filter((r) => r.dir === "sub").map((r) => r.subject)),
  };
}

/** `SU` of contracts.md: deduplicated, UTF-16 code-unit order. */
function su(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
