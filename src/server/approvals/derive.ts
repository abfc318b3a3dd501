import {
  activeContractsOf,
  AuthError,
  deriveRules,
  err,
  ok,
  refuseTransferSurfaces,
  resolveUses,
  type ActiveEntry,
  type NormalizedManifest,
  type PermissionRule,
  type Result,
  type ResolvedUses,
  type ValidationError,
} from "../../contracts/index.ts";

export type Derived = { resolved: ResolvedUses; rules: PermissionRule[] };

/**
 * What every approval starts from (auth.md §6.2): `uses` resolved against
 * the active contracts, transfer refused (v1), device principals refused,
 * then the rules of contracts.md §5. The contract being approved is itself
 * active for its own resolution (a contract may use its own surfaces).
 */
export function deriveForApproval(
  manifest: NormalizedManifest,
  digest: string,
  active: readonly ActiveEntry[],
): Result<Derived, ValidationError | AuthError> {
  if (manifest.kind === "device") {
    return err(new AuthError("unknown_device", { message: "device principals are not supported in this release" }));
  }
  const others = active.filter((entry) => entry.manifest.id !== manifest.id || entry.digest === digest);
  const resolved = resolveUses(manifest, activeContractsOf([...others, { digest, manifest }]));
  if (resolved.isErr()) return err(resolved.error);
  const transfer = refuseTransferSurfaces(manifest, resolved.value);
  if (transfer.isErr()) return err(transfer.error);
  const rules = deriveRules(manifest, resolved.value);
  if (rules.isErr()) return err(rules.error);
  return ok({ resolved: resolved.value, rules: rules.value });
}
