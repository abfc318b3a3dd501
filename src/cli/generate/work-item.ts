import { readFileSync } from "node:fs";
import { join } from "node:path";
import { dependencyIds } from "../../codegen/index.ts";
import type { CliFailure } from "../app/cli-failure.ts";
import { ExitCode } from "../app/exit-codes.ts";
import type { Stamp } from "./cache.ts";
import { sha256Hex } from "./hash.ts";
import type { LoadedManifest } from "./load-entry.ts";
import type { PlanEntry } from "./plan.ts";
import { packageDirsFor } from "./render-entry.ts";
import type { EntryOutcome } from "./run-types.ts";
import type { SdkImport, SourceScan, SourceScanner } from "./source-graph.ts";

/**
 * One plan entry as a run moves it along: `waiting` (not loaded), `loaded`
 * (its manifest known, from the source or a matching stamp), `done` (an
 * outcome recorded). The relations between entries (who produces the SDK a
 * source imports, whose `uses` wait for whom) are computed from these.
 */
export type WorkItem = {
  readonly entry: PlanEntry;
  scan: SourceScan;
  state: "waiting" | "loaded" | "done";
  loaded?: LoadedManifest | undefined;
  fresh?: Stamp | undefined;
  packageName?: string | undefined;
  /** The SDK package directories (targets `ts`, `npm`). */
  packageDirs: readonly string[];
  outcome?: EntryOutcome | undefined;
  /** Dependency manifest hashes the outputs were rendered with. */
  renderedWith?: { readonly [id: string]: string | null } | undefined;
};

export function scanOf(scanner: SourceScanner, entry: PlanEntry): SourceScan {
  if (entry.input === "source") return scanner.scan(entry.file);
  let hash = "";
  try {
    hash = sha256Hex(readFileSync(entry.file));
  } catch {
    hash = "";
  }
  return { files: new Map([[entry.file, hash]]), sdkImports: [], unresolved: [] };
}

export const hasFailed = (work: WorkItem): boolean =>
  work.outcome?.action === "failed" || work.outcome?.action === "skipped";

/** Whether `work` produces the SDK that `imp` names. */
export function owns(work: WorkItem, imp: SdkImport): boolean {
  if (imp.kind === "package") return work.packageName === imp.name;
  return work.packageDirs.includes(join(imp.outRoot, "packages", imp.target, imp.dir));
}

/** The entries producing the SDKs `work`'s source imports. */
export function sdkOwners(work: WorkItem, works: readonly WorkItem[]): WorkItem[] {
  return work.scan.sdkImports.flatMap((imp) => works.filter((o) => o !== work && owns(o, imp)));
}

export function packageDirsOf(entry: PlanEntry, packageName: string | undefined, targets: readonly string[]): string[] {
  if (packageName === undefined) return [];
  return Object.values(packageDirsFor(entry, packageName, targets));
}

/** What must be done before `work` renders: the contracts its `uses` name and the owners of SDKs it imports. */
export function inPlanDependencies(work: WorkItem, works: readonly WorkItem[]): WorkItem[] {
  if (work.loaded === undefined) return [];
  const ids = dependencyIds(work.loaded.manifest);
  const wanted = new Set([...ids.required, ...ids.optional]);
  const byUses = works.filter((o) => o !== work && o.loaded !== undefined && wanted.has(o.loaded.manifest.id));
  return [...new Set([...byUses, ...sdkOwners(work, works)])];
}

export function dependencyFailure(entry: PlanEntry, broken: WorkItem): CliFailure {
  const what = broken.outcome?.id ?? broken.loaded?.manifest.id ?? broken.entry.display;
  return {
    exit: broken.outcome?.failure?.exit ?? ExitCode.invalidContract,
    code: "dependency_failed",
    message: `${entry.display}: skipped: it depends on ${what}, which failed`,
  };
}
