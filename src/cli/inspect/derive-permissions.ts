import {
  activeContractsOf,
  builtinEntries,
  deriveRules,
  resolveUses,
  type ActiveEntry,
  type NormalizedManifest,
  type PermissionRule,
  type ResolvedUses,
  type ValidationIssue,
} from "../../contracts/index.ts";

export type DerivedPermissions =
  | { ok: true; rules: PermissionRule[]; skippedAliases: ResolvedUses["skippedAliases"] }
  | { ok: false; issues: ValidationIssue[] };

/**
 * Resolves a contract's `uses` against the built-in contracts plus the given
 * dependencies, as if all of them were active, and derives its rules
 * (contracts.md §5). Tooling's view: approval does the same against the
 * contracts actually active in a deployment.
 */
export function derivePermissions(
  manifest: NormalizedManifest,
  dependencies: readonly ActiveEntry[],
): DerivedPermissions {
  const active = activeContractsOf([...builtinEntries(), ...dependencies]);
  const resolved = resolveUses(manifest, active);
  if (resolved.isErr()) return { ok: false, issues: resolved.error.issues };
  const rules = deriveRules(manifest, resolved.value);
  if (rules.isErr()) return { ok: false, issues: rules.error.issues };
  return { ok: true, rules: rules.value, skippedAliases: resolved.value.skippedAliases };
}
