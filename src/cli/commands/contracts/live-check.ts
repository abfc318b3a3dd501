import {
  activeContractsOf,
  coreContract,
  err,
  ok,
  resolveUses,
  type ActiveEntry,
  type CatalogEntry,
  type NormalizedManifest,
  type Result,
  type ValidationIssue,
} from "../../../contracts/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { callFailure } from "../../session/call-failure.ts";
import type { CliSession } from "../../session/open-session.ts";

/** What `contracts verify --live` found for one valid contract (tooling.md §3.2). */
export type LiveFinding = {
  /** Service and device contracts are offers: their digest must be in the catalog. Apps and agents are approved per session. */
  known: boolean | "not-an-offer";
  /** Problems of the required `uses` against the active contracts. */
  uses: ValidationIssue[];
};

/**
 * Checks contracts against the deployment through `trellis.core@v1`: the
 * catalog says which digests are active, `Trellis.Contract.Get` fetches the
 * manifests of the ids the contracts use, and `resolveUses` (the rule
 * approval applies) says whether their required uses resolve.
 */
export class LiveCheck {
  private constructor(
    private readonly catalog: readonly CatalogEntry[],
    private readonly active: readonly ActiveEntry[],
  ) {}

  static async open(
    session: CliSession,
    manifests: readonly NormalizedManifest[],
  ): Promise<Result<LiveCheck, CliFailure>> {
    const rpc = coreContract().API.owned.rpc;
    const listed = await session.client.call(rpc["Trellis.Catalog"], {});
    if (listed.isErr()) return err(callFailure(listed.error));
    const catalog = listed.value.catalog.contracts;
    const usedIds = new Set(
      manifests.flatMap((manifest) =>
        [manifest.uses?.required ?? {}, manifest.uses?.optional ?? {}].flatMap((uses) =>
          Object.values(uses).map((use) => use.contract),
        ),
      ),
    );
    const active: ActiveEntry[] = [];
    for (const entry of catalog.filter((e) => usedIds.has(e.id))) {
      const got = await session.client.call(rpc["Trellis.Contract.Get"], { digest: entry.digest });
      if (got.isErr()) return err(callFailure(got.error));
      active.push({ digest: entry.digest, manifest: got.value.contract as NormalizedManifest });
    }
    return ok(new LiveCheck(catalog, active));
  }

  check(manifest: NormalizedManifest, digest: string): LiveFinding {
    const offer = manifest.kind === "service" || manifest.kind === "device";
    const known = offer ? this.catalog.some((entry) => entry.digest === digest) : "not-an-offer";
    const resolved = resolveUses(manifest, activeContractsOf(this.active));
    return { known, uses: resolved.isErr() ? resolved.error.issues : [] };
  }
}

/** Whether a finding means the contract is not ready for this deployment. */
export const notReady = (finding: LiveFinding): boolean => finding.known === false || finding.uses.length > 0;
