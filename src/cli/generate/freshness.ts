import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { inputsHash, outputHashes, outputsIntact, type Stamp } from "./cache.ts";
import type { DependencyResolver } from "./dependencies.ts";
import { toPosix } from "./discover.ts";
import { sha256Hex } from "./hash.ts";
import { validated, type LoadedManifest } from "./load-entry.ts";
import type { NpmTarget } from "./npm/npm-target.ts";
import { DEFAULT_TARGETS, type PlanEntry } from "./plan.ts";
import type { OutputFile, RenderedEntry } from "./render-entry.ts";
import type { SourceScan } from "./source-graph.ts";
import { orphansIn } from "./write-tree.ts";
import { packageDirsOf } from "./work-item.ts";

/**
 * When an entry may be skipped: its stamp (cache.ts) records the inputs it
 * was rendered from and the outputs it wrote; both must still match.
 */

/**
 * Inputs unchanged, every output present and unchanged, nothing else in the
 * package directories, and for target npm the same tsc reading the same files.
 */
export async function freshStamp(
  entry: PlanEntry,
  scan: SourceScan,
  stamp: Stamp,
  cliVersion: string,
  npm: NpmTarget,
): Promise<boolean> {
  if (stamp.cliVersion !== cliVersion) return false;
  if (stamp.inputs !== entryInputs(entry, scan, cliVersion)) return false;
  const targets = entry.targets ?? DEFAULT_TARGETS;
  // Agents and devices record no targets (nothing is written for them).
  if (stamp.kind !== "agent" && stamp.kind !== "device" && stamp.targets.join(",") !== targets.join(",")) return false;
  if (!outputsIntact(entry.outRoot, stamp)) return false;
  const outputs = new Set(Object.keys(stamp.outputs).map((path) => resolve(entry.outRoot, path)));
  for (const dir of packageDirsOf(entry, stamp.package ?? undefined, stamp.targets))
    if (orphansIn(dir, outputs).length > 0) return false;
  if (stamp.targets.includes("npm") && stamp.package !== null) {
    if (stamp.compiler == null) return false;
    if (!(await npm.unchanged(stamp.compiler, entry.projectDir, entry.root))) return false;
  }
  return true;
}

export function entryInputs(entry: PlanEntry, scan: SourceScan, cliVersion: string): string {
  const options = {
    label: entry.label,
    input: entry.input,
    targets: entry.targets ?? null,
    naming: entry.naming,
    packageName: entry.packageName ?? null,
    manifestOut: entry.manifestOut ?? null,
    sdkOut: entry.sdkOut ?? null,
    version: entry.version ?? null,
    exportName: entry.exportName ?? null,
    runtimeImport: entry.runtimeImport,
  };
  // Paths relative to the root, so that a copy of the tree elsewhere gets the same stamps.
  const files = new Map([...scan.files].map(([path, hash]) => [toPosix(relative(entry.root, path)), hash]));
  return inputsHash({ cliVersion, options, files, context: entry.contextFiles, root: entry.root });
}

/** The manifest a stamp recorded, if it is still there with the stamped digest. */
export function readStampedManifest(entry: PlanEntry, stamp: Stamp): LoadedManifest | undefined {
  if (stamp.manifest === null) return undefined;
  try {
    const loaded = validated(
      JSON.parse(readFileSync(resolve(entry.outRoot, stamp.manifest), "utf8")) as unknown,
      entry.display,
    );
    return loaded.isOk() && loaded.value.digest === stamp.digest ? loaded.value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the dependency manifests an entry was rendered with are still the ones the resolver finds. */
export function sameDependencies(
  recorded: { readonly [id: string]: string | null },
  entry: PlanEntry,
  resolver: DependencyResolver,
): boolean {
  return Object.entries(recorded).every(([id, hash]) => {
    const found = resolver.find(id, entry.outRoot, entry.projectDir);
    return (found === undefined ? null : sha256Hex(found.canonical)) === hash;
  });
}

export function stampOf(
  entry: PlanEntry,
  scan: SourceScan,
  loaded: LoadedManifest,
  rendered: RenderedEntry,
  cliVersion: string,
): Omit<Stamp, "format"> {
  const manifestFile =
    rendered.files.find((f) => f.path.endsWith(`${loaded.manifest.id}.json`)) ??
    rendered.files.find((f) => f.path.endsWith("contract.json"));
  return {
    source: entry.label,
    id: loaded.manifest.id,
    kind: loaded.manifest.kind,
    digest: loaded.digest,
    manifestHash: sha256Hex(loaded.canonical),
    package: rendered.packageName ?? null,
    targets: rendered.targets,
    compiler: rendered.compiler ?? null,
    cliVersion,
    inputs: entryInputs(entry, scan, cliVersion),
    dependencies: rendered.dependencies,
    outputs: outputHashes(entry.outRoot, rendered.files),
    manifest: manifestFile === undefined ? null : outputHashesKey(entry.outRoot, manifestFile),
  };
}

function outputHashesKey(outRoot: string, file: OutputFile): string {
  return Object.keys(outputHashes(outRoot, [file]))[0]!;
}
