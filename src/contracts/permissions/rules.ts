import { ValidationError } from "../errors/builtin.ts";
import type { NormalizedManifest } from "../manifest/types.ts";
import { err, ok, type Result } from "../result/result.ts";
import { RuleCollector } from "./make-rule.ts";
import { addOwnRules } from "./own-rules.ts";
import type { PermissionRule, ResolvedUses } from "./types.ts";
import { addUsesRules } from "./uses-rules.ts";

export type DeriveOptions = {
  /**
   * Transfer is out of scope for v1: no transfer grants are derived and
   * approval refuses transfer surfaces (see `transferSurfaces`). Passing this
   * derives the transfer rows anyway, for the release that implements
   * transfer; owned transfer subjects need the serving session's key.
   */
  transfer?: { sessionKey: string };
};

/**
 * All permission rules of a contract (contracts.md §5 "Rules"): those from
 * its resolved `uses`, then, for a service, those on its own contract and
 * the platform's Validate RPC. The inbox subscription is per session and is
 * added by `withSessionInbox`, not here.
 *
 * Order: aliases as resolved (required, then optional, by name), surfaces by
 * kind then name; then own surfaces in manifest order. Rules may repeat a
 * subject (e.g. observe and cancel on one control subject): grants are sets.
 *
 * Fails when a surface subject would yield a grant broader than the surface
 * (literal wildcards, reserved namespaces); nothing is derived from it.
 */
export function deriveRules(
  manifest: NormalizedManifest,
  resolved: ResolvedUses,
  options: DeriveOptions = {},
): Result<PermissionRule[], ValidationError> {
  const out = new RuleCollector();
  addUsesRules(out, resolved, { transfer: options.transfer !== undefined });
  addOwnRules(out, manifest, options.transfer?.sessionKey);
  return out.issues.length > 0 ? err(new ValidationError(out.issues)) : ok(out.rules);
}
