/**
 * The `trellis.catalog.v1` projection (contracts.md §6): which concrete
 * contract digests are active. Served by `Trellis.Catalog` on trellis.core@v1.
 */

export type CatalogEntry = { id: string; digest: string; displayName: string; description: string };

export type CatalogV1 = { format: "trellis.catalog.v1"; contracts: CatalogEntry[] };

export type CatalogIssueKind =
  | "missing-active-contract"
  | "invalid-active-contract"
  | "incompatible-active-contract"
  | "invalid-active-contract-uses";

/**
 * Something wrong with the active set, reported beside the catalog (the
 * wire schema of an issue is open beyond `kind`; these fields are ours).
 */
export type CatalogIssue = {
  kind: CatalogIssueKind;
  contractId: string;
  /** Absent when the issue concerns the id as a whole (e.g. divergent digests). */
  digest?: string;
  message: string;
};

/** What `Trellis.Catalog` returns under `catalog`. */
export type CatalogWithIssues = CatalogV1 & { issues?: CatalogIssue[] };

/** What a catalog entry is built from: a digest and the copy of its normalized manifest. */
export type CatalogSource = { digest: string; manifest: { id: string; displayName: string; description: string } };

/**
 * One entry per concrete digest (never a synthetic union of an id's
 * digests), sorted by `id`, then `digest`, in UTF-16 code-unit order. A
 * digest listed twice yields one entry.
 */
export function buildCatalog(sources: Iterable<CatalogSource>): CatalogV1 {
  const byKey = new Map<string, CatalogEntry>();
  for (const { digest, manifest } of sources) {
    const key = `${manifest.id}\u0000${digest}`;
    if (!byKey.has(key)) {
      byKey.set(key, { id: manifest.id, digest, displayName: manifest.displayName, description: manifest.description });
    }
  }
  const contracts = [...byKey.values()].sort((a, b) => compare(a.id, b.id) || compare(a.digest, b.digest));
  return { format: "trellis.catalog.v1", contracts };
}

/** The catalog with its issues; `issues` is omitted when there are none. */
export function withCatalogIssues(catalog: CatalogV1, issues: readonly CatalogIssue[]): CatalogWithIssues {
  if (issues.length === 0) return catalog;
  const sorted = [...issues].sort(
    (a, b) => compare(a.contractId, b.contractId) || compare(a.digest ?? "", b.digest ?? "") || compare(a.kind, b.kind),
  );
  return { ...catalog, issues: sorted };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
