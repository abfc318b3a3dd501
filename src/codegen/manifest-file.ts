import type { NormalizedManifest } from "../contracts/index.ts";

/** `contracts/manifests/<id>.json`: the canonical bytes plus a final newline (tooling.md §2). */
export function renderManifestFile(canonical: string): string {
  return `${canonical}\n`;
}

/** The contracts a manifest's `uses` points at, required and optional, each sorted and unique. */
export function dependencyIds(manifest: NormalizedManifest): { required: string[]; optional: string[] } {
  const ids = (group: "required" | "optional") =>
    [...new Set(Object.values(manifest.uses?.[group] ?? {}).map((use) => use.contract))].sort();
  return { required: ids("required"), optional: ids("optional") };
}
