import {
  builtinEntries,
  err,
  loadManifest,
  ok,
  type ActiveEntry,
  type NormalizedManifest,
  type Result,
} from "../../contracts/index.ts";
import type { AuthStore } from "../store/auth-store.ts";
import type { StoreFailure } from "../store/record-bucket.ts";

/** A stored manifest, validated again on read (a corrupt one is a failure, not a contract). */
export async function readContract(
  store: AuthStore,
  digest: string,
): Promise<Result<NormalizedManifest | undefined, StoreFailure>> {
  const entry = await store.contracts.get(digest);
  if (entry.isErr()) return err(entry.error);
  if (entry.value === undefined) return ok(undefined);
  const loaded = loadManifest(entry.value.value.manifest);
  if (loaded.isErr() || loaded.value.digest !== digest) {
    return err({ kind: "corrupt", bucket: store.contracts.name, key: digest, message: "stored manifest is invalid" });
  }
  return ok(loaded.value.manifest);
}

/** An approved digest whose stored manifest is absent or fails validation. */
export type UnreadableContract = {
  contractId: string;
  digest: string;
  problem: "missing" | "corrupt";
  message: string;
};

/**
 * The active set: the built-ins plus every digest some deployment has a
 * non-revoked approval for (contracts.md §5 "the effective active
 * contract", §6 catalog), and the approved digests whose manifests could
 * not be read. Read from the shared store each time, so every replica
 * decides alike.
 */
export async function readActiveSet(
  store: AuthStore,
): Promise<Result<{ entries: ActiveEntry[]; unreadable: UnreadableContract[] }, StoreFailure>> {
  const approvals = await store.approvals.list("svc.>");
  if (approvals.isErr()) return err(approvals.error);
  const entries: ActiveEntry[] = builtinEntries();
  const unreadable: UnreadableContract[] = [];
  const seen = new Set(entries.map((entry) => entry.digest));
  for (const { value: approval } of approvals.value) {
    const { contractId, contractDigest: digest } = approval;
    if (approval.revokedAt !== null || seen.has(digest)) continue;
    seen.add(digest);
    const manifest = await readContract(store, digest);
    if (manifest.isErr()) {
      if (manifest.error.kind !== "corrupt") return err(manifest.error);
      unreadable.push({ contractId, digest, problem: "corrupt", message: manifest.error.message });
    } else if (manifest.value === undefined) {
      unreadable.push({ contractId, digest, problem: "missing", message: "approved, but its manifest is not stored" });
    } else {
      entries.push({ digest, manifest: manifest.value });
    }
  }
  return ok({ entries, unreadable });
}

/**
 * The contracts `uses` resolve against at approval (see readActiveSet); a
 * stored manifest that fails validation fails the decision (fail closed), a
 * missing one is left out.
 */
export async function activeEntries(store: AuthStore): Promise<Result<ActiveEntry[], StoreFailure>> {
  const set = await readActiveSet(store);
  if (set.isErr()) return err(set.error);
  const corrupt = set.value.unreadable.find((u) => u.problem === "corrupt");
  if (corrupt !== undefined) {
    return err({ kind: "corrupt", bucket: store.contracts.name, key: corrupt.digest, message: corrupt.message });
  }
  return ok(set.value.entries);
}
