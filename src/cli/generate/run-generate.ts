import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_PACKAGE_PREFIX, packageNameFor } from "../../codegen/index.ts";
import { invalidContract } from "../app/cli-failure.ts";
import { ExitCode, type ExitStatus } from "../app/exit-codes.ts";
import { readStamps, writeStamp, type Stamp } from "./cache.ts";
import { DependencyResolver } from "./dependencies.ts";
import { freshStamp, readStampedManifest, sameDependencies, stampOf } from "./freshness.ts";
import { pruneLeftovers } from "./leftovers.ts";
import { loadEntry } from "./load-entry.ts";
import { NpmTarget } from "./npm/npm-target.ts";
import { DEFAULT_TARGETS, type Plan } from "./plan.ts";
import { renderEntry, type OutputFile } from "./render-entry.ts";
import type { EntryOutcome, RunOptions, RunResult, StaleFile } from "./run-types.ts";
import { SourceScanner } from "./source-graph.ts";
import {
  dependencyFailure,
  hasFailed,
  inPlanDependencies,
  owns,
  packageDirsOf,
  scanOf,
  sdkOwners,
  type WorkItem,
} from "./work-item.ts";
import { orphansIn, parseCheck, removeFiles, sameContents, writeChanged } from "./write-tree.ts";

export type { EntryAction, EntryOutcome, RunOptions, RunResult, StaleFile, StaleReason } from "./run-types.ts";

/**
 * One `trellis generate` (or `--check`) run over a plan (tooling.md §2).
 *
 * Order: inputs are taken by path; a source that imports a generated SDK
 * (found by `SourceScanner`) is loaded only once that SDK's entry is done,
 * and a contract is rendered only after the contracts its `uses` names that
 * are in the plan. A failure skips its dependents; what is left waiting on
 * each other is a cycle, and an error.
 *
 * Entries whose stamp matches (freshness.ts) are fresh and not loaded;
 * `--force` bypasses stamps. `--check` ignores stamps, renders in memory and
 * compares.
 */
export function runGenerate(plan: Plan, options: RunOptions): Promise<RunResult> {
  return new GenerateRun(plan, options).run();
}

type Finished = Omit<EntryOutcome, "entry" | "outputs" | "written" | "removed" | "stale" | "warnings" | "notes"> &
  Partial<EntryOutcome>;

class GenerateRun {
  private readonly timing = { scan: 0, load: 0, render: 0, write: 0, total: 0 };
  private readonly scanner: SourceScanner;
  private readonly resolver = new DependencyResolver();
  private readonly npm = new NpmTarget();
  /** Stamps count for `generate`, and for `--check` only when asked (`contracts list`). */
  private readonly stampsApply: boolean;
  private readonly stamps: Map<string, Map<string, Stamp>>;
  private readonly works: WorkItem[];

  constructor(
    private readonly plan: Plan,
    private readonly options: RunOptions,
  ) {
    const outRoots = [...new Set(plan.entries.map((e) => e.outRoot))].sort();
    const sdkNames = new Set(
      plan.entries.flatMap((e) => [
        ...Object.values(e.naming.names ?? {}),
        ...(e.packageName === undefined ? [] : [e.packageName]),
      ]),
    );
    const prefixes = [...new Set(plan.entries.map((e) => e.naming.prefix ?? DEFAULT_PACKAGE_PREFIX))];
    this.scanner = new SourceScanner(
      outRoots,
      (name) => sdkNames.has(name) || prefixes.some((p) => name.startsWith(p)),
    );
    this.stampsApply = !options.check || options.useStamps === true;
    this.stamps = new Map(
      outRoots.map((root) => [root, this.stampsApply ? readStamps(root) : new Map<string, Stamp>()]),
    );
    this.works = this.timed("scan", () =>
      plan.entries.map((entry) => ({ entry, scan: scanOf(this.scanner, entry), state: "waiting", packageDirs: [] })),
    );
  }

  async run(): Promise<RunResult> {
    const started = performance.now();
    await this.schedule();
    await this.rerenderOutdated();
    const outcomes = this.works.map((w) => w.outcome!);
    const leftovers = outcomes.some((o) => o.action === "failed" || o.action === "skipped")
      ? []
      : pruneLeftovers(this.plan, outcomes, this.options.check);
    const closures = new Map(this.works.map((w) => [w.entry.file, [...w.scan.files.keys()]]));
    this.timing.total = performance.now() - started;
    return {
      outcomes,
      leftovers,
      exit: exitOf(outcomes, leftovers, this.options.check),
      closures,
      timing: this.timing,
    };
  }

  /** Loads what is ready, renders what has its dependencies done, until nothing moves. */
  private async schedule(): Promise<void> {
    for (;;) {
      const ready = this.works.filter((w) => w.state === "waiting" && this.loadReady(w));
      const loading = performance.now();
      await pool(ready, loadConcurrency(), (work) => this.prepare(work));
      this.timing.load += performance.now() - loading;
      let progress = ready.length > 0;
      for (const work of this.works) {
        if (work.state !== "loaded") continue;
        const deps = inPlanDependencies(work, this.works);
        const broken = deps.find(hasFailed);
        if (broken !== undefined) {
          this.finish(work, {
            action: "skipped",
            id: work.loaded?.manifest.id,
            failure: dependencyFailure(work.entry, broken),
          });
          progress = true;
        } else if (deps.every((d) => d.state === "done")) {
          await this.process(work);
          progress = true;
        }
      }
      if (progress) continue;
      const waiting = this.works.find((w) => w.state === "waiting");
      if (waiting !== undefined) {
        // Nothing is ready: load the first waiting source anyway (its import may be external, or fail clearly).
        await this.prepare(waiting);
        continue;
      }
      this.failCycle(this.works.filter((w) => w.state === "loaded"));
      return;
    }
  }

  /**
   * A contract rendered before a dependency of this run was known (rare: a
   * manifest input using a source that waited for an SDK) is rendered again
   * with the final manifests.
   */
  private async rerenderOutdated(): Promise<void> {
    for (const work of this.works) {
      if (work.outcome === undefined || !["generated", "fresh", "up-to-date", "stale"].includes(work.outcome.action))
        continue;
      if (work.loaded === undefined || work.renderedWith === undefined) continue;
      if (sameDependencies(work.renderedWith, work.entry, this.resolver)) continue;
      work.fresh = undefined;
      await this.process(work);
    }
  }

  private failCycle(stuck: readonly WorkItem[]): void {
    const names = stuck.map((w) => w.loaded?.manifest.id ?? w.entry.display).join(", ");
    for (const work of stuck) {
      this.finish(work, {
        action: "failed",
        id: work.loaded?.manifest.id,
        failure: invalidContract(
          `${work.entry.display}: dependency cycle among ${names} (through uses or SDK imports)`,
        ),
      });
    }
  }

  /** Whether every SDK the source imports is produced by an entry that is done (or by none that may still appear). */
  private loadReady(work: WorkItem): boolean {
    for (const imp of work.scan.sdkImports) {
      const owner = this.works.find((o) => o !== work && owns(o, imp));
      if (owner !== undefined) {
        if (owner.state !== "done") return false;
      } else if (this.works.some((o) => o !== work && o.state === "waiting" && o.packageName === undefined)) {
        return false; // may be an entry whose package name is not known yet
      }
    }
    return true;
  }

  /** `waiting` → `loaded`: from a matching stamp, else by loading the input; or `done` when it cannot proceed. */
  private async prepare(work: WorkItem): Promise<void> {
    const { entry } = work;
    const owners = sdkOwners(work, this.works);
    const broken = owners.find(hasFailed);
    if (broken !== undefined) {
      this.finish(work, { action: "skipped", failure: dependencyFailure(entry, broken) });
      return;
    }
    const stale = owners.find((o) => o.outcome?.action === "stale");
    if (this.options.check && stale !== undefined) {
      this.finish(work, {
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
    if (work.scan.sdkImports.length > 0) work.scan = scanOf(this.scanner, entry);
    // An SDK import nobody produced, while an entry failed before its package was known: most likely that one's.
    const orphanImport = work.scan.unresolved.find((u) =>
      work.scan.sdkImports.some((imp) => imp.kind === "package" && u.specifier.startsWith(imp.name)),
    );
    const unknownFailure = this.works.find((o) => o !== work && hasFailed(o) && o.packageName === undefined);
    if (orphanImport !== undefined && unknownFailure !== undefined && owners.length === 0) {
      this.finish(work, {
        action: "skipped",
        failure: {
          ...dependencyFailure(entry, unknownFailure),
          message: `${entry.display}: skipped: it imports '${orphanImport.specifier}', which no contract of this run produced, and ${unknownFailure.entry.display} failed`,
        },
      });
      return;
    }
    if (await this.takeStamp(work)) return;
    const loaded = await loadEntry(entry);
    if (loaded.isErr()) {
      this.finish(work, { action: "failed", failure: loaded.error });
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
  }

  /** A stamp that still matches makes the entry `loaded` without loading its source. */
  private async takeStamp(work: WorkItem): Promise<boolean> {
    const { entry } = work;
    if (!this.stampsApply || this.options.force || this.options.forceProjects?.has(entry.projectDir)) return false;
    const stamp = this.stamps.get(entry.outRoot)?.get(entry.label);
    if (stamp === undefined || !(await freshStamp(entry, work.scan, stamp, this.options.cliVersion, this.npm)))
      return false;
    const loaded = readStampedManifest(entry, stamp);
    if (stamp.manifest !== null && loaded === undefined) return false;
    work.fresh = stamp;
    work.loaded = loaded;
    work.packageName = stamp.package ?? undefined;
    work.packageDirs = packageDirsOf(entry, stamp.package ?? undefined, stamp.targets);
    work.state = "loaded";
    return true;
  }

  /** `loaded` → `done`: rejects clashes, then renders and writes (or, with `--check`, compares). */
  private async process(work: WorkItem): Promise<void> {
    const { entry, loaded } = work;
    const earlier = this.works.filter((o) => o !== work && o.entry.index < entry.index);
    const duplicate =
      loaded === undefined ? undefined : earlier.find((o) => o.loaded?.manifest.id === loaded.manifest.id);
    if (duplicate !== undefined) {
      this.finish(work, {
        action: "failed",
        failure: invalidContract(
          `${entry.display}: contract id ${loaded!.manifest.id} is also the id of ${duplicate.entry.display}`,
        ),
      });
      return;
    }
    const clash = earlier.find((o) => o.packageDirs.some((dir) => work.packageDirs.includes(dir)));
    if (clash !== undefined) {
      this.finish(work, {
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
      this.finish(work, { action: "fresh", id: stamp.id, kind: stamp.kind, digest: stamp.digest });
      return;
    }
    const { manifest } = loaded;
    if (work.fresh !== undefined && sameDependencies(work.fresh.dependencies, entry, this.resolver)) {
      this.resolver.add(manifest, loaded.canonical);
      work.renderedWith = work.fresh.dependencies;
      this.finish(work, {
        action: "fresh",
        id: manifest.id,
        kind: manifest.kind,
        digest: loaded.digest,
        packageName: work.packageName,
        outputs: Object.keys(work.fresh.outputs).map((p) => resolve(entry.outRoot, p)),
      });
      return;
    }
    const renderStarted = performance.now();
    const rendered = await renderEntry(entry, loaded, {
      resolver: this.resolver,
      peerVersions: this.options.peerVersions,
      npm: this.npm,
    });
    this.timing.render += performance.now() - renderStarted;
    if (rendered.isErr()) {
      this.finish(work, { action: "failed", id: manifest.id, kind: manifest.kind, failure: rendered.error });
      return;
    }
    this.resolver.add(manifest, loaded.canonical);
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
    const verified = manifest.kind === "agent" || manifest.kind === "device";
    if (this.options.check) {
      const stale = [...compare(rendered.value.files), ...orphans.map((path) => ({ path, reason: "orphan" as const }))];
      this.finish(work, {
        ...common,
        action: stale.length > 0 ? "stale" : verified ? "verified" : "up-to-date",
        stale,
      });
      return;
    }
    const parsed = this.timed("write", () => parseCheck(rendered.value.files));
    if (parsed.isErr()) {
      this.finish(work, { ...common, action: "failed", failure: parsed.error });
      return;
    }
    const written = this.timed("write", () => writeChanged(rendered.value.files));
    for (const { dir, files } of orphansByDir) if (files.length > 0) removeFiles(files, dir);
    this.scanner.forget([...written, ...orphans]);
    writeStamp(entry.outRoot, stampOf(entry, work.scan, loaded, rendered.value, this.options.cliVersion));
    const action = verified ? "verified" : written.length > 0 || orphans.length > 0 ? "generated" : "fresh";
    this.finish(work, { ...common, action, written, removed: orphans });
  }

  private finish(work: WorkItem, outcome: Finished): void {
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
    this.options.onOutcome?.(work.outcome);
  }

  private timed<T>(phase: "scan" | "write", run: () => T): T {
    const at = performance.now();
    try {
      return run();
    } finally {
      this.timing[phase] += performance.now() - at;
    }
  }
}

function compare(files: readonly OutputFile[]): StaleFile[] {
  const stale: StaleFile[] = [];
  for (const file of files) {
    if (!existsSync(file.path)) stale.push({ path: file.path, reason: "missing" });
    else if (!sameContents(file.path, file.contents)) stale.push({ path: file.path, reason: "changed" });
  }
  return stale;
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
