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

/**
 * The contracts `uses` resolve against at approval: the built-ins plus every
 * digest some deployment has a non-revoked approval for (contracts.md §5
 * "the effective active contract"). Read from the shared store each time, so
 * every replica decides alike.
 */
export async function activeEntries(store: AuthStore): Promise<Result<ActiveEntry[], StoreFailure>> {
  const approvals = await store.approvals.list("svc.>");
  if (approvals.isErr()) return err(approvals.error);
  const entries: ActiveEntry[] = builtinEntries();
  const seen = new Set(entries.map((entry) => entry.digest));
  for (const { value: approval } of approvals.value) {
    if (approval.revokedAt !== null || seen.has(approval.contractDigest)) continue;
    const manifest = await readContract(store, approval.contractDigest);
    if (manifest.isErr()) return err(manifest.error);
    if (manifest.value === undefined) continue;
    seen.add(approval.contractDigest);
    entries.push({ digest: approval.contractDigest, manifest: manifest.value });
  }
  return ok(entries);
}
