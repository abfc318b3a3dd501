import {
  buildCatalog,
  activeContractIssues,
  err,
  ok,
  UnexpectedError,
  ValidationError,
  withCatalogIssues,
  type CatalogIssue,
  type CatalogWithIssues,
  type NormalizedManifest,
  type Result,
  type TrellisError,
} from "../../contracts/index.ts";
import { readActiveSet } from "../approvals/active-contracts.ts";
import type { AuthStore } from "../store/auth-store.ts";
import type { StoreFailure } from "../store/record-bucket.ts";

/**
 * `trellis.core@v1` (contracts.md §6): the catalog of active contracts and a
 * contract by digest. Both are computed from the shared store on every call
 * (no replica-local cache to go stale), and fail closed: a store failure is
 * an error, never a partial catalog passed off as whole; an approved digest
 * whose manifest is missing or unreadable is reported as an issue.
 */
export class CatalogService {
  constructor(private readonly store: AuthStore) {}

  async catalog(): Promise<Result<{ catalog: CatalogWithIssues }, TrellisError>> {
    const set = await readActiveSet(this.store);
    if (set.isErr()) return err(unavailable(set.error));
    const { entries, unreadable } = set.value;
    const issues: CatalogIssue[] = [
      ...unreadable.map((u): CatalogIssue => ({
        kind: u.problem === "missing" ? "missing-active-contract" : "invalid-active-contract",
        contractId: u.contractId,
        digest: u.digest,
        message: u.message,
      })),
      ...activeContractIssues(entries),
    ];
    return ok({ catalog: withCatalogIssues(buildCatalog(entries), issues) });
  }

  /** The normalized manifest of an active digest (a built-in or an approved one). */
  async contract(digest: string): Promise<Result<{ contract: NormalizedManifest }, TrellisError>> {
    const set = await readActiveSet(this.store);
    if (set.isErr()) return err(unavailable(set.error));
    const found = set.value.entries.find((entry) => entry.digest === digest);
    if (found === undefined) {
      return err(new ValidationError([{ path: "/digest", message: `no active contract has digest '${digest}'` }]));
    }
    return ok({ contract: found.manifest });
  }
}

function unavailable(failure: StoreFailure): UnexpectedError {
  return new UnexpectedError({ context: { reason: "the contract store could not be read", detail: failure.message } });
}
