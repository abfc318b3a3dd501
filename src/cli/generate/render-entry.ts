import { join } from "node:path";
import { err, ok, type NormalizedManifest, type Result } from "../../contracts/index.ts";
import {
  dependencyIds,
  packageDirOf,
  packageNameFor,
  packageNameProblem,
  renderManifestFile,
  renderSdkPackage,
} from "../../codegen/index.ts";
import { invalidContract, usageFailure, type CliFailure } from "../app/cli-failure.ts";
import type { DependencyResolver } from "./dependencies.ts";
import type { LoadedManifest } from "./load-entry.ts";
import type { PlanEntry, Target } from "./plan.ts";
import { sha256Hex } from "./hash.ts";

/** A file to write, by absolute path. */
export type OutputFile = { readonly path: string; readonly contents: string };

export type RenderedEntry = {
  readonly targets: readonly Target[];
  readonly files: readonly OutputFile[];
  /** The SDK package directory (its other files are orphans), if the `ts` target ran. */
  readonly packageDir: string | undefined;
  readonly packageName: string | undefined;
  /** Manifest hashes of the dependencies used, by id (`null`: not found); cache stamps keep them. */
  readonly dependencies: { readonly [id: string]: string | null };
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
};

export type RenderContext = {
  readonly resolver: DependencyResolver;
  readonly peerVersions: { readonly runtime: string; readonly valibot: string };
};

/**
 * The outputs of one loaded contract (tooling.md §2): service and app
 * contracts get their manifest and SDK package, agents and devices are
 * verified only. `trellis.*` SDKs are not generated into projects unless
 * `--sdk-out` names the directory (how the runtime library would generate its own).
 */
export function renderEntry(
  entry: PlanEntry,
  loaded: LoadedManifest,
  context: RenderContext,
): Result<RenderedEntry, CliFailure> {
  const { manifest, canonical, digest } = loaded;
  const warnings: string[] = [];
  if (manifest.kind === "agent" || manifest.kind === "device") {
    return ok({
      targets: [],
      files: [],
      packageDir: undefined,
      packageName: undefined,
      dependencies: {},
      warnings,
      notes: [],
    });
  }
  const targets = entry.targets ?? (["manifest", "ts"] as const);
  const files: OutputFile[] = [];
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

  let packageDir: string | undefined;
  let packageName: string | undefined;
  const notes: string[] = [];
  const builtin = manifest.id.startsWith("trellis.") && entry.sdkOut === undefined;
  if (targets.includes("ts") && !builtin) {
    packageName = entry.packageName ?? packageNameFor(manifest.id, entry.naming);
    const problem = packageNameProblem(packageName);
    if (problem !== undefined) return err(usageFailure(`${entry.display}: package name '${packageName}' ${problem}`));
    packageDir = entry.sdkOut ?? join(entry.outRoot, "packages", "ts", packageDirOf(packageName));
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
    for (const file of rendered.value.files) files.push({ path: join(packageDir, file.path), contents: file.contents });
    warnings.push(...rendered.value.warnings.map((w) => `${entry.display}: ${w}`));
    notes.push(...rendered.value.notes.map((n) => `${entry.display}: ${n.pointer}: ${n.message}`));
  }
  return ok({ targets, files, packageDir, packageName, dependencies, warnings, notes });
}
