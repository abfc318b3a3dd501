import type { NormalizedManifest } from "../manifest/types.ts";
import type { ActiveContracts } from "./types.ts";

/** One active concrete digest and its normalized manifest. */
export type ActiveEntry = { digest: string; manifest: NormalizedManifest };

/** Groups active digests by contract id (a digest listed twice counts once). */
export function activeContractsOf(entries: Iterable<ActiveEntry>): ActiveContracts {
  const byId = new Map<string, NormalizedManifest[]>();
  const seen = new Set<string>();
  for (const { digest, manifest } of entries) {
    if (seen.has(digest)) continue;
    seen.add(digest);
    const list = byId.get(manifest.id) ?? [];
    list.push(manifest);
    byId.set(manifest.id, list);
  }
  return byId;
}
