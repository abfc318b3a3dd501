import type { ValidationIssue } from "../errors/builtin.ts";
import { wildcardSubject } from "../subjects/wildcard.ts";
import { surfaceSubjectProblem } from "./subject-guard.ts";
import type { PermissionRule, RuleOrigin, RuleSurface } from "./types.ts";

/**
 * Accumulates rules in derivation order. Every rule gets `subject` ←
 * `W(subject)` and `requiredCaps` ← `SU(caps)`; a surface subject that `W`
 * would not keep within its surface becomes an issue instead of a rule.
 */
export class RuleCollector {
  readonly rules: PermissionRule[] = [];
  readonly issues: ValidationIssue[] = [];

  /** A rule on a contract surface subject; `path` locates the reference for the issue. */
  surface(
    dir: PermissionRule["dir"],
    subject: string,
    caps: readonly string[],
    surface: RuleSurface,
    origin: RuleOrigin,
    path: string,
  ): void {
    const problem = surfaceSubjectProblem(subject);
    if (problem !== undefined) {
      const message = `Subject '${subject}' of ${surface.kind} '${surface.name}' on '${surface.contractId}' ${problem}; no permission is derived from it`;
      // One issue per subject and reference, even when several actions use it.
      if (!this.issues.some((i) => i.path === path && i.message === message)) this.issues.push({ path, message });
      return;
    }
    this.fixed(dir, wildcardSubject(subject), caps, surface, origin);
  }

  /** A rule on a subject the platform fixes (already in wildcard form, never a manifest subject). */
  fixed(
    dir: PermissionRule["dir"],
    subject: string,
    caps: readonly string[],
    surface: RuleSurface,
    origin: RuleOrigin,
  ): void {
    this.rules.push({ dir, subject, requiredCaps: [...new Set(caps)].sort(), surface, origin });
  }
}
