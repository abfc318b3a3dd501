import { join } from "node:path";
import { err, ok, type NormalizedManifest, type Result } from "../../contracts/index.ts";
import {
  dependencyIds,
  docsFileName,
  packageDirOf,
  packageNameFor,
  packageNameProblem,
  renderContractDocs,
  renderManifestFile,
  renderSdkPackage,
} from "../../codegen/index.ts";
import { invalidContract, usageFailure, type CliFailure } from "../app/cli-failure.ts";
import type { DependencyResolver } from "./dependencies.ts";
import type { LoadedManifest } from "./load-entry.ts";
import { DEFAULT_TARGETS, type PlanEntry, type Target } from "./plan.ts";
import { sha256Hex } from "./hash.ts";
import type { CompilerStamp, NpmTarget } from "./npm/npm-target.ts";

/** A file to write, by absolute path. */
export type OutputFile = { readonly path: string; readonly contents: string };

export type RenderedEntry = {
  readonly targets: readonly Target[];
  readonly files: readonly OutputFile[];
  /** The SDK package directories of the `ts` and `npm` targets that ran (their other files are orphans). */
  readonly packageDirs: readonly string[];
  readonly packageName: string | undefined;
  /** What tsc read for the `npm` target, for the stamp (`undefined` without that target). */
  readonly compiler: CompilerStamp | undefined;
  /** Manifest hashes of the dependencies used, by id (`null`: not found); cache stamps keep them. */
  readonly dependencies: { readonly [id: string]: string | null };
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
};

export type RenderContext = {
  readonly resolver: DependencyResolver;
  readonly peerVersions: { readonly runtime: string; readonly valibot: string };
  readonly npm: NpmTarget;
};

/** `<out>/docs/<contract id>.md`: one Markdown reference per contract (target `docs`). */
export function docsPathOf(entry: PlanEntry, id: string): string {
  return join(entry.outRoot, "docs", docsFileName(id));
}

/** Where the SDK package of each target goes: `--sdk-out` (one target only), else `<out>/packages/<target>/<dir>`. */
export function packageDirsFor(
  entry: PlanEntry,
  packageName: string,
  targets: readonly string[],
): { readonly ts?: string; readonly npm?: string } {
  const dirs: { ts?: string; npm?: string } = {};
  for (const target of ["ts", "npm"] as const) {
    if (!targets.includes(target)) continue;
    dirs[target] = entry.sdkOut ?? join(entry.outRoot, "packages", target, packageDirOf(packageName));
  }
  return dirs;
}

/**
 * The outputs of one loaded contract (tooling.md §2): service and app
 * contracts get their manifest and SDK packages (`ts`: TypeScript; `npm`:
 * the same sources compiled by tsc to `dist/`), agents and devices are
 * verified only. `trellis.*` SDKs are not generated into projects unless
 * `--sdk-out` names the directory (how the runtime library would generate its own).
 */
export async function renderEntry(
  entry: PlanEntry,
  loaded: LoadedManifest,
  context: RenderContext,
): Promise<Result<RenderedEntry, CliFailure>> {
  const { manifest, canonical, digest } = loaded;
  const warnings: string[] = [];
  const targets = entry.targets ?? DEFAULT_TARGETS;
  // A reference page suits every kind, agents and devices included.
  const docs: OutputFile[] = targets.includes("docs")
    ? [{ path: docsPathOf(entry, manifest.id), contents: renderContractDocs(manifest, digest) }]
    : [];
  if (manifest.kind === "agent" || manifest.kind === "device") {
    return ok({
      targets: docs.length > 0 ? ["docs"] : [],
      files: docs,
      packageDirs: [],
      packageName: undefined,
      compiler: undefined,
      dependencies: {},
      warnings,
      notes: [],
    });
  }
  const files: OutputFile[] = [...docs];
  if (targets.includes("manifest")) {
    files.push({
      path: entry.manifestOut ?? join(entry.outRoot, "contracts", "manifests", `${manifest.id}.json`),
      contents: renderManifestFile(canonical),
    });
  }
  const dependencies: { [id: string]: string | null } = {};
  const found = new Map<string, NormalizedManifest>();
  const ids = dependencyIds(manifest);
  for (const id of [...ids.required, ...ids.optional]) {
    const dependency = context.resolver.find(id, entry.outRoot, entry.projectDir);
    dependencies[id] = dependency === undefined ? null : sha256Hex(dependency.canonical);
    if (dependency !== undefined) found.set(id, dependency.manifest);
  }

  let packageName: string | undefined;
  let compiler: CompilerStamp | undefined;
  const packageDirs: string[] = [];
  const notes: string[] = [];
  const builtin = manifest.id.startsWith("trellis.") && entry.sdkOut === undefined;
  if ((targets.includes("ts") || targets.includes("npm")) && !builtin) {
    packageName = entry.packageName ?? packageNameFor(manifest.id, entry.naming);
    const problem = packageNameProblem(packageName);
    if (problem !== undefined) return err(usageFailure(`${entry.display}: package name '${packageName}' ${problem}`));
    const dirs = packageDirsFor(entry, packageName, targets);
    const version = entry.version ?? "0.0.0";
    if (entry.version === undefined)
      warnings.push(`${entry.display}: no version in package.json and no --artifact-version; the SDK gets 0.0.0`);
    const rendered = renderSdkPackage({
      manifest,
      digest,
      canonical,
      source: entry.label,
      packageName,
      version,
      runtimeImport: entry.runtimeImport,
      dependencies: found,
      peerVersions: context.peerVersions,
    });
    if (rendered.isErr()) {
      const count = rendered.error.issues.length;
      return err(
        invalidContract(
          `${entry.display}: cannot generate the SDK of ${manifest.id} (${count} problem${count === 1 ? "" : "s"})`,
          rendered.error.issues,
        ),
      );
    }
    if (dirs.ts !== undefined) {
      packageDirs.push(dirs.ts);
      for (const file of rendered.value.files) files.push({ path: join(dirs.ts, file.path), contents: file.contents });
    }
    if (dirs.npm !== undefined) {
      const compiled = await context.npm.compile({
        projectDir: entry.projectDir,
        runtimeImport: entry.runtimeImport,
        root: entry.root,
        sources: rendered.value.files.filter((f) => f.path.endsWith(".ts")),
        what: `${entry.display}: ${packageName} (npm)`,
      });
      if (compiled.isErr()) return err(compiled.error);
      compiler = compiled.value.stamp;
      packageDirs.push(dirs.npm);
      for (const file of [...rendered.value.npmFiles, ...compiled.value.files].sort(byPath))
        files.push({ path: join(dirs.npm, file.path), contents: file.contents });
    }
    warnings.push(...rendered.value.warnings.map((w) => `${entry.display}: ${w}`));
    notes.push(...rendered.value.notes.map((n) => `${entry.display}: ${n.pointer}: ${n.message}`));
  }
  return ok({ targets, files, packageDirs, packageName, compiler, dependencies, warnings, notes });
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
