import { isErr } from "../result/result.ts";
import { activeContractsOf, type ActiveEntry } from "../permissions/active-contracts.ts";
import { effectiveContract } from "../permissions/effective-contract.ts";
import { resolveUses } from "../permissions/resolve-uses.ts";
import type { CatalogIssue } from "./catalog.ts";

/**
 * Issues the active set shows by itself: an id whose active digests disagree
 * on a same-named surface (`incompatible-active-contract`), and an active
 * digest whose required `uses` do not resolve against the active set
 * (`invalid-active-contract-uses`). Missing and unreadable stored manifests
 * are found by whoever loads them, who reports the other two kinds.
 */
export function activeContractIssues(entries: readonly ActiveEntry[]): CatalogIssue[] {
  const active = activeContractsOf(entries);
  const issues: CatalogIssue[] = [];
  for (const [id, manifests] of active) {
    const divergent = effectiveContract(id, manifests).divergent;
    if (divergent.length === 0) continue;
    const names = divergent.map((d) => `${d.kind} '${d.name}'`).join(", ");
    issues.push({
      kind: "incompatible-active-contract",
      contractId: id,
      message: `active digests of '${id}' disagree on ${names}`,
    });
  }
  const seen = new Set<string>();
  for (const { digest, manifest } of entries) {
    if (seen.has(digest)) continue;
    seen.add(digest);
    const resolved = resolveUses(manifest, active);
    if (!isErr(resolved)) continue;
    const message = resolved.error.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    issues.push({ kind: "invalid-active-contract-uses", contractId: manifest.id, digest, message });
  }
  return issues;
}
