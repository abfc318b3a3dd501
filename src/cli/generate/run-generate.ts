import { availableParallelism } from "node:os";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { toPosix } from "./discover.ts";
import { DEFAULT_PACKAGE_PREFIX, dependencyIds, packageNameFor } from "../../codegen/index.ts";
import { invalidContract, type CliFailure } from "../app/cli-failure.ts";
import { ExitCode, type ExitStatus } from "../app/exit-codes.ts";
import { CACHE_DIR, inputsHash, outputHashes, outputsIntact, readStamps, writeStamp, type Stamp } from "./cache.ts";
import { DependencyResolver } from "./dependencies.ts";
import { sha256Hex } from "./hash.ts";
import { loadEntry, validated, type LoadedManifest } from "./load-entry.ts";
import { NpmTarget } from "./npm/npm-target.ts";
import { DEFAULT_TARGETS, type Plan, type PlanEntry } from "./plan.ts";
import { packageDirsFor, renderEntry, type OutputFile, type RenderedEntry } from "./render-entry.ts";
import { SourceScanner, type SdkImport, type SourceScan } from "./source-graph.ts";
import { orphansIn, parseCheck, removeFiles, sameContents, writeChanged } from "./write-tree.ts";

/**
 * One `trellis generate` (or `--check`) run over a plan (tooling.md §2).
 *
 * Order: inputs are taken by path; a source that imports a generated SDK
 * (found by `SourceScanner`) is loaded only once that SDK's entry is done,
 * and a contract is rendered only after the contracts its `uses` names that
 * are in the plan. A failure skips its dependents; what is left waiting on
 * each other is a cycle, and an error.
 *
 * Entries whose stamp matches (cache.ts) are fresh and not loaded; `--force`
 * bypasses stamps. `--check` ignores stamps, renders in memory and compares.
 */

export type StaleReason = "missing" | "changed" | "orphan";
export type StaleFile = { readonly path: string; readonly reason: StaleReason };

export type EntryAction = "generated" | "fresh" | "verified" | "up-to-date" | "stale" | "failed" | "skipped";

export type EntryOutcome = {
  readonly entry: PlanEntry;
  readonly action: EntryAction;
  readonly id?: string | undefined;
  readonly kind?: string | undefined;
  readonly digest?: string | undefined;
  readonly packageName?: string | undefined;
  /** Every output path, rendered or (fresh) recorded. */
  readonly outputs: readonly string[];
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly stale: readonly StaleFile[];
  readonly failure?: CliFailure | undefined;
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
};

export type RunResult = {
  readonly outcomes: readonly EntryOutcome[];
  /** Stale manifests and SDK packages of an output root this run covers completely (removed, or with `--check` reported). */
  readonly leftovers: readonly StaleFile[];
  readonly exit: ExitStatus;
  /** Each input's local import closure (the entry file first), for `--watch`. */
  readonly closures: ReadonlyMap<string, readonly string[]>;
  /** Where the time went, in milliseconds (`TRELLIS_TIMING=1` prints it). */
  readonly timing: {
    readonly scan: number;
    readonly load: number;
    readonly render: number;
    readonly write: number;
    readonly total: number;
  };
};

export type RunOptions = {
  readonly check: boolean;
  /** With `check`: still treat entries whose stamps match as fresh (`contracts list`), instead of loading them. */
  readonly useStamps?: boolean;
  readonly force: boolean;
  /** Projects whose stamps are ignored this once (watch rule 4). */
  readonly forceProjects?: ReadonlySet<string>;
  readonly cliVersion: string;
  readonly peerVersions: { readonly runtime: string; readonly valibot: string };
  readonly onOutcome?: (outcome: EntryOutcome) => void;
};

type Work = {
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

export async function runGenerate(plan: Plan, options: RunOptions): Promise<RunResult> {
  const timing = { scan: 0, load: 0, render: 0, write: 0, total: 0 };
  const started = performance.now();
  const timed = <T>(phase: "scan" | "render" | "write", run: () => T): T => {
    const at = performance.now();
    try {
      return run();
    } finally {
      timing[phase] += performance.now() - at;
    }
  };
  const timedAsync = async <T>(phase: "render", run: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    try {
      return await run();
    } finally {
      timing[phase] += performance.now() - at;
    }
  };
  const outRoots = [...new Set(plan.entries.map((e) => e.outRoot))].sort();
  const sdkNames = new Set(
    plan.entries.flatMap((e) => [
      ...Object.values(e.naming.names ?? {}),
      ...(e.packageName === undefined ? [] : [e.packageName]),
    ]),
  );
  const prefixes = new Set(plan.entries.map((e) => e.naming.prefix ?? DEFAULT_PACKAGE_PREFIX));
  const scanner = new SourceScanner(
    outRoots,
    (name) => sdkNames.has(name) || [...prefixes].some((p) => name.startsWith(p)),
  );
  const resolver = new DependencyResolver();
  const npm = new NpmTarget();
  const stampsApply = !options.check || options.useStamps === true;
  const stamps = new Map(outRoots.map((root) => [root, stampsApply ? readStamps(root) : new Map<string, Stamp>()]));
  const works: Work[] = timed("scan", () =>
    plan.entries.map((entry): Work => ({ entry, scan: scanOf(scanner, entry), state: "waiting", packageDirs: [] })),
  );

  const finish = (
    work: Work,
    outcome: Omit<EntryOutcome, "entry" | "outputs" | "written" | "removed" | "stale" | "warnings" | "notes"> &
      Partial<EntryOutcome>,
  ) => {
    work.state = "done";
    work.outcome = {
      outputs: [],
      written: [],
      removed: [],
      stale: [],
      warnings: [],
      notes: [],
      ...outcome,
      entry: work.entry,
    };
    options.onOutcome?.(work.outcome);
  };
  const failed = (w: Work) => w.outcome?.action === "failed" || w.outcome?.action === "skipped";
  const owners = (w: Work) => w.scan.sdkImports.flatMap((imp) => works.filter((o) => o !== w && owns(o, imp)));

  const prepare = async (work: Work): Promise<void> => {
    const { entry } = work;
    const broken = owners(work).find(failed);
    if (broken !== undefined) {
      finish(work, { action: "skipped", failure: dependencyFailure(entry, broken) });
      return;
    }
    const stale = owners(work).find((o) => o.outcome?.action === "stale");
    if (options.check && stale !== undefined) {
      finish(work, {
        action: "stale",
        failure: {
          exit: ExitCode.staleOrNotReady,
          code: "stale",
          message: `${entry.display}: not checked: it imports the SDK of ${stale.outcome?.id ?? stale.entry.display}, which is stale`,
        },
      });
      return;
    }
    // SDK files this source imports may have been written moments ago.
    if (work.scan.sdkImports.length > 0) work.scan = scanOf(scanner, entry);
    // An SDK import nobody produced, while an entry failed before its package was known: most likely that one's.
    const orphanImport = work.scan.unresolved.find((u) =>
      work.scan.sdkImports.some((imp) => imp.kind === "package" && u.specifier.startsWith(imp.name)),
    );
    const unknownFailure = works.find((o) => o !== work && failed(o) && o.packageName === undefined);
    if (orphanImport !== undefined && unknownFailure !== undefined && owners(work).length === 0) {
      finish(work, {
        action: "skipped",
        failure: {
          ...dependencyFailure(entry, unknownFailure),
          message: `${entry.display}: skipped: it imports '${orphanImport.specifier}', which no contract of this run produced, and ${unknownFailure.entry.display} failed`,
        },
      });
      return;
    }
    if (stampsApply && !options.force && !options.forceProjects?.has(entry.projectDir)) {
      const stamp = stamps.get(entry.outRoot)?.get(entry.label);
      if (stamp !== undefined && (await freshStamp(entry, work.scan, stamp, options.cliVersion, npm))) {
        const loaded = stamp.manifest === null ? undefined : readStampedManifest(entry, stamp);
        if (stamp.manifest === null || loaded !== undefined) {
          work.fresh = stamp;
          work.loaded = loaded;
          work.packageName = stamp.package ?? undefined;
          work.packageDirs = packageDirsOf(entry, stamp.package ?? undefined, stamp.targets);
          work.state = "loaded";
          return;
        }
      }
    }
    const loaded = await loadEntry(entry);
    if (loaded.isErr()) {
      finish(work, { action: "failed", failure: loaded.error });
      return;
    }
    work.loaded = loaded.value;
    const { manifest } = loaded.value;
    const targets = entry.targets ?? DEFAULT_TARGETS;
    if (
      (manifest.kind === "service" || manifest.kind === "app") &&
      (targets.includes("ts") || targets.includes("npm"))
    ) {
      work.packageName = entry.packageName ?? packageNameFor(manifest.id, entry.naming);
      work.packageDirs = packageDirsOf(entry, work.packageName, targets);
    }
    work.state = "loaded";
  };

  const loadReady = (work: Work): boolean => {
    for (const imp of work.scan.sdkImports) {
      const owner = works.find((o) => o !== work && owns(o, imp));
      if (owner !== undefined) {
        if (owner.state !== "done") return false;
      } else if (works.some((o) => o !== work && o.state === "waiting" && o.packageName === undefined)) {
        return false; // may be an entry whose package name is not known yet
      }
    }
    return true;
  };

  const process_ = async (work: Work): Promise<void> => {
    const { entry } = work;
    const loaded = work.loaded;
    const duplicate = works.find(
      (o) =>
        o !== work &&
        o.entry.index < work.entry.index &&
        o.loaded !== undefined &&
        loaded !== undefined &&
        o.loaded.manifest.id === loaded.manifest.id,
    );
    if (duplicate !== undefined) {
      finish(work, {
        action: "failed",
        failure: invalidContract(
          `${entry.display}: contract id ${loaded!.manifest.id} is also the id of ${duplicate.entry.display}`,
        ),
      });
      return;
    }
    const clash = works.find(
      (o) =>
        o !== work && o.entry.index < work.entry.index && o.packageDirs.some((dir) => work.packageDirs.includes(dir)),
    );
    if (clash !== undefined) {
      finish(work, {
        action: "failed",
        failure: invalidContract(
          `${entry.display}: its SDK package ${work.packageName} would go to the same directory as that of ${clash.entry.display}`,
          [],
        ),
      });
      return;
    }
    if (loaded === undefined) {
      // A fresh agent or device: verified before with the same inputs.
      const stamp = work.fresh!;
      finish(work, { action: "fresh", id: stamp.id, kind: stamp.kind, digest: stamp.digest });
      return;
    }
    const { manifest } = loaded;
    if (work.fresh !== undefined && sameDependencies(work.fresh.dependencies, entry, resolver)) {
      resolver.add(manifest, loaded.canonical);
      work.renderedWith = work.fresh.dependencies;
      finish(work, {
        action: "fresh",
        id: manifest.id,
        kind: manifest.kind,
        digest: loaded.digest,
        packageName: work.packageName,
        outputs: Object.keys(work.fresh.outputs).map((p) => resolve(entry.outRoot, p)),
      });
      return;
    }
    const rendered = await timedAsync("render", () =>
      renderEntry(entry, loaded, { resolver, peerVersions: options.peerVersions, npm }),
    );
    if (rendered.isErr()) {
      finish(work, { action: "failed", id: manifest.id, kind: manifest.kind, failure: rendered.error });
      return;
    }
    resolver.add(manifest, loaded.canonical);
    work.renderedWith = rendered.value.dependencies;
    const common = {
      id: manifest.id,
      kind: manifest.kind,
      digest: loaded.digest,
      packageName: rendered.value.packageName,
      outputs: rendered.value.files.map((f) => f.path),
      warnings: rendered.value.warnings,
      notes: rendered.value.notes,
    };
    const keep = new Set(rendered.value.files.map((f) => f.path));
    const orphansByDir = rendered.value.packageDirs.map((dir) => ({ dir, files: orphansIn(dir, keep) }));
    const orphans = orphansByDir.flatMap((o) => o.files);
    if (options.check) {
      const stale = [...compare(rendered.value.files), ...orphans.map((path) => ({ path, reason: "orphan" as const }))];
      const verified = manifest.kind === "agent" || manifest.kind === "device";
      finish(work, { ...common, action: stale.length > 0 ? "stale" : verified ? "verified" : "up-to-date", stale });
      return;
    }
    const parsed = timed("write", () => parseCheck(rendered.value.files));
    if (parsed.isErr()) {
      finish(work, { ...common, action: "failed", failure: parsed.error });
      return;
    }
    const written = timed("write", () => writeChanged(rendered.value.files));
    for (const { dir, files } of orphansByDir) if (files.length > 0) removeFiles(files, dir);
    scanner.forget([...written, ...orphans]);
    writeStamp(entry.outRoot, stampOf(entry, work, loaded, rendered.value, options.cliVersion));
    const verified = manifest.kind === "agent" || manifest.kind === "device";
    const action = verified ? "verified" : written.length > 0 || orphans.length > 0 ? "generated" : "fresh";
    finish(work, { ...common, action, written, removed: orphans });
  };

  for (;;) {
    const ready = works.filter((w) => w.state === "waiting" && loadReady(w));
    const loading = performance.now();
    await pool(ready, loadConcurrency(), prepare);
    timing.load += performance.now() - loading;
    let progress = ready.length > 0;
    for (const work of works) {
      if (work.state !== "loaded") continue;
      const deps = inPlanDependencies(work, works);
      const broken = deps.find(failed);
      if (broken !== undefined) {
        finish(work, {
          action: "skipped",
          id: work.loaded?.manifest.id,
          failure: dependencyFailure(work.entry, broken),
        });
        progress = true;
      } else if (deps.every((d) => d.state === "done")) {
        await process_(work);
        progress = true;
      }
    }
    if (progress) continue;
    const waiting = works.find((w) => w.state === "waiting");
    if (waiting !== undefined) {
      // Nothing is ready: load the first waiting source anyway (its import may be external, or fail clearly).
      await prepare(waiting);
      continue;
    }
    const stuck = works.filter((w) => w.state === "loaded");
    for (const work of stuck) {
      const names = stuck.map((w) => w.loaded?.manifest.id ?? w.entry.display).join(", ");
      finish(work, {
        action: "failed",
        id: work.loaded?.manifest.id,
        failure: invalidContract(
          `${work.entry.display}: dependency cycle among ${names} (through uses or SDK imports)`,
        ),
      });
    }
    break;
  }

  // A contract rendered before a dependency of this run was known (rare: a manifest input using a
  // source that waited for an SDK) is rendered again with the final manifests.
  for (const work of works) {
    if (work.outcome === undefined || !["generated", "fresh", "up-to-date", "stale"].includes(work.outcome.action))
      continue;
    if (work.loaded === undefined || work.renderedWith === undefined) continue;
    if (sameDependencies(work.renderedWith, work.entry, resolver)) continue;
    work.fresh = undefined;
    await process_(work);
  }

  const outcomes = works.map((w) => w.outcome!);
  const leftovers = outcomes.some((o) => o.action === "failed" || o.action === "skipped")
    ? []
    : pruneLeftovers(plan, outcomes, options.check);
  const closures = new Map(works.map((w) => [w.entry.file, [...w.scan.files.keys()]]));
  timing.total = performance.now() - started;
  return { outcomes, leftovers, exit: exitOf(outcomes, leftovers, options.check), closures, timing };
}

function scanOf(scanner: SourceScanner, entry: PlanEntry): SourceScan {
  if (entry.input === "source") return scanner.scan(entry.file);
  let hash = "";
  try {
    hash = sha256Hex(readFileSync(entry.file));
  } catch {
    hash = "";
  }
  return { files: new Map([[entry.file, hash]]), sdkImports: [], unresolved: [] };
}

function owns(work: Work, imp: SdkImport): boolean {
  if (imp.kind === "package") return work.packageName === imp.name;
  return work.packageDirs.includes(join(imp.outRoot, "packages", imp.target, imp.dir));
}

function packageDirsOf(entry: PlanEntry, packageName: string | undefined, targets: readonly string[]): string[] {
  if (packageName === undefined) return [];
  return Object.values(packageDirsFor(entry, packageName, targets));
}

function inPlanDependencies(work: Work, works: readonly Work[]): Work[] {
  if (work.loaded === undefined) return [];
  const ids = dependencyIds(work.loaded.manifest);
  const wanted = new Set([...ids.required, ...ids.optional]);
  const sdkOwners = work.scan.sdkImports.flatMap((imp) => works.filter((o) => o !== work && owns(o, imp)));
  const byUses = works.filter((o) => o !== work && o.loaded !== undefined && wanted.has(o.loaded.manifest.id));
  return [...new Set([...byUses, ...sdkOwners])];
}

function dependencyFailure(entry: PlanEntry, broken: Work): CliFailure {
  const what = broken.outcome?.id ?? broken.loaded?.manifest.id ?? broken.entry.display;
  return {
    exit: broken.outcome?.failure?.exit ?? ExitCode.invalidContract,
    code: "dependency_failed",
    message: `${entry.display}: skipped: it depends on ${what}, which failed`,
  };
}

/**
 * Inputs unchanged, every output present and unchanged, nothing else in the
 * package directories, and for target npm the same tsc reading the same files.
 */
async function freshStamp(
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

function readStampedManifest(entry: PlanEntry, stamp: Stamp): LoadedManifest | undefined {
  try {
    const loaded = validated(
      JSON.parse(readFileSync(resolve(entry.outRoot, stamp.manifest!), "utf8")) as unknown,
      entry.display,
    );
    return loaded.isOk() && loaded.value.digest === stamp.digest ? loaded.value : undefined;
  } catch {
    return undefined;
  }
}

function sameDependencies(
  recorded: { readonly [id: string]: string | null },
  entry: PlanEntry,
  resolver: DependencyResolver,
): boolean {
  return Object.entries(recorded).every(([id, hash]) => {
    const found = resolver.find(id, entry.outRoot, entry.projectDir);
    return (found === undefined ? null : sha256Hex(found.canonical)) === hash;
  });
}

function stampOf(
  entry: PlanEntry,
  work: Work,
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
    inputs: entryInputs(entry, work.scan, cliVersion),
    dependencies: rendered.dependencies,
    outputs: outputHashes(entry.outRoot, rendered.files),
    manifest: manifestFile === undefined ? null : outputHashesKey(entry.outRoot, manifestFile),
  };
}

function outputHashesKey(outRoot: string, file: OutputFile): string {
  return Object.keys(outputHashes(outRoot, [file]))[0]!;
}

function compare(files: readonly OutputFile[]): StaleFile[] {
  const stale: StaleFile[] = [];
  for (const file of files) {
    if (!existsSync(file.path)) stale.push({ path: file.path, reason: "missing" });
    else if (!sameContents(file.path, file.contents)) stale.push({ path: file.path, reason: "changed" });
  }
  return stale;
}

/**
 * In an output root this run covers completely, manifests, docs, SDK packages
 * and stamps of contracts no longer planned are removed (`--check`: reported).
 */
function pruneLeftovers(plan: Plan, outcomes: readonly EntryOutcome[], check: boolean): StaleFile[] {
  const leftovers: StaleFile[] = [];
  for (const root of plan.completeRoots) {
    const here = outcomes.filter((o) => o.entry.outRoot === root);
    const ids = new Set(here.map((o) => o.id).filter((id): id is string => id !== undefined));
    const outputs = new Set(here.flatMap((o) => o.outputs));
    for (const [dir, extension] of [
      [join(root, "contracts", "manifests"), ".json"],
      [join(root, "docs"), ".md"],
    ] as const) {
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (name.endsWith(extension) && !outputs.has(path)) leftovers.push({ path, reason: "orphan" });
      }
    }
    for (const target of ["ts", "npm"]) {
      const packages = join(root, "packages", target);
      if (!existsSync(packages)) continue;
      for (const name of readdirSync(packages).sort()) {
        const dir = join(packages, name);
        const contractId = generatedContractId(dir);
        if (contractId === undefined || here.some((o) => o.outputs.some((p) => p.startsWith(`${dir}/`)))) continue;
        leftovers.push(...orphansIn(dir, new Set()).map((path) => ({ path, reason: "orphan" as const })));
      }
    }
    if (!check) {
      const cache = join(root, CACHE_DIR);
      if (existsSync(cache)) {
        const stale = readdirSync(cache)
          .filter((name) => name.endsWith(".json") && !ids.has(name.slice(0, -5)))
          .map((name) => join(cache, name));
        removeFiles(stale, cache);
      }
      removeFiles(
        leftovers.map((l) => l.path),
        root,
      );
    }
  }
  return leftovers;
}

/** The contract id of a generated SDK package directory (its package.json says so), else `undefined`. */
function generatedContractId(dir: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { trellis?: { contractId?: unknown } };
    return typeof pkg.trellis?.contractId === "string" ? pkg.trellis.contractId : undefined;
  } catch {
    return undefined;
  }
}

function exitOf(outcomes: readonly EntryOutcome[], leftovers: readonly StaleFile[], check: boolean): ExitStatus {
  const failure = outcomes.find((o) => o.action === "failed" || o.action === "skipped");
  if (failure !== undefined) return failure.failure?.exit ?? ExitCode.unexpected;
  if (check && (outcomes.some((o) => o.action === "stale") || leftovers.length > 0)) return ExitCode.staleOrNotReady;
  return ExitCode.ok;
}

async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++]!);
  });
  await Promise.all(workers);
}

/** Child loads at a time: `TRELLIS_LOAD_CONCURRENCY`, else the number of cores. */
function loadConcurrency(): number {
  const configured = Number(process.env.TRELLIS_LOAD_CONCURRENCY);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : Math.max(1, availableParallelism());
}
