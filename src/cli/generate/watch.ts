import { existsSync, readFileSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { Result } from "../../contracts/index.ts";
import type { CliFailure } from "../app/cli-failure.ts";
import { SKIPPED_DIRS, toPosix } from "./discover.ts";
import type { Plan } from "./plan.ts";
import type { RunResult } from "./run-types.ts";

/**
 * `trellis generate --watch` (tooling.md §2.4): a full run, then a recursive
 * watch of the root. Changes are batched until 250 ms pass without one, and
 * each batch gets one decision, the first rule that matches:
 *
 * 1. the `trellis` binary or the generator's own source changed: "restart required", exit 0;
 * 2. a removal, an input file (package.json, tsconfig*.json, bunfig.toml), or a new contract source: a full run;
 * 3. a file some contract source imports: a run in which that entry (and, through the
 *    stamps, everything depending on it) regenerates;
 * 4. another source in a project with contracts: that project, stamps bypassed;
 * 5. anything else: ignored.
 *
 * Contract errors are reported and watching goes on; SIGINT/SIGTERM end it with 0.
 */

export const BATCH_QUIET_MS = 250;
const SOURCE_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]);
const INPUT = /^(package\.json|tsconfig.*\.json|bunfig\.toml)$/;

export type Decision = {
  readonly decision: "restart" | "full" | "entries" | "project" | "ignored";
  readonly reason: string;
  readonly paths: readonly string[];
  readonly projects?: ReadonlySet<string>;
};

export type WatchHooks = {
  plan(): Result<Plan, CliFailure>;
  run(plan: Plan, forceProjects?: ReadonlySet<string>): Promise<RunResult>;
  /** After each run (the first, full one has no decision). */
  report(
    result: RunResult | undefined,
    decision: Decision | undefined,
    failure: CliFailure | undefined,
    elapsedMs: number,
  ): void;
  /** Paths whose change means the generator itself changed. */
  generatorPaths: readonly string[];
};

export async function watchGenerate(hooks: WatchHooks): Promise<number> {
  let plan: Plan | undefined;
  let closures = new Map<string, readonly string[]>();
  const runFull = async (decision?: Decision) => {
    const started = performance.now();
    const planned = hooks.plan();
    if (planned.isErr()) {
      hooks.report(undefined, decision, planned.error, performance.now() - started);
      return;
    }
    plan = planned.value;
    await runPlanned(plan, decision, undefined, started);
  };
  const runPlanned = async (
    current: Plan,
    decision: Decision | undefined,
    force: ReadonlySet<string> | undefined,
    started: number,
  ) => {
    try {
      const result = await hooks.run(current, force);
      closures = new Map(result.closures);
      hooks.report(result, decision, undefined, performance.now() - started);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      hooks.report(undefined, decision, { exit: 1, code: "unexpected", message }, performance.now() - started);
    }
  };

  // The watch starts before the first run, so nothing changed meanwhile is missed.
  const first = hooks.plan();
  const root = first.isOk() ? first.value.watchRoot : process.cwd();
  const ignore = ignoreMatcher(root, () => plan);

  return await new Promise<number>((resolveExit) => {
    let pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running: Promise<void> = Promise.resolve();
    let watcher: FSWatcher | undefined;
    const stop = (code: number) => {
      watcher?.close();
      if (timer !== undefined) clearTimeout(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolveExit(code);
    };
    const onSignal = () => stop(0);
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);

    const flush = () => {
      const batch = [...pending].sort();
      pending = new Set();
      running = running.then(async () => {
        const decision = decide(batch, plan, closures, hooks.generatorPaths);
        if (decision.decision === "ignored") return;
        if (decision.decision === "restart") {
          hooks.report(undefined, decision, undefined, 0);
          stop(0);
          return;
        }
        const started = performance.now();
        if (decision.decision === "full" || plan === undefined) await runFull(decision);
        else await runPlanned(plan, decision, decision.projects, started);
      });
    };
    watcher = watch(root, { recursive: true }, (_event, name) => {
      if (name === null) return;
      const path = resolve(root, String(name));
      if (ignore(path)) return;
      pending.add(path);
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(flush, BATCH_QUIET_MS);
    });
    running = runFull();
  });
}

/** Applies the rules of tooling.md §2.4 to one batch of changed paths. */
export function decide(
  batch: readonly string[],
  plan: Plan | undefined,
  closures: ReadonlyMap<string, readonly string[]>,
  generatorPaths: readonly string[],
): Decision {
  const pick = (paths: readonly string[]) => paths.slice(0, 8);
  const generator = batch.filter((path) => generatorPaths.some((g) => path === g || path.startsWith(`${g}${sep}`)));
  if (generator.length > 0)
    return {
      decision: "restart",
      reason: "the trellis binary or generator source changed: restart required",
      paths: pick(generator),
    };
  const known = new Set(plan?.entries.map((e) => e.file) ?? []);
  const removed = batch.filter((path) => !existsSync(path));
  const inputs = batch.filter((path) => INPUT.test(basename(path)));
  const added = batch.filter((path) => !known.has(path) && isContractSource(path));
  if (removed.length > 0) return { decision: "full", reason: "files were removed", paths: pick(removed) };
  if (inputs.length > 0) return { decision: "full", reason: "an input file changed", paths: pick(inputs) };
  if (added.length > 0 || plan === undefined)
    return { decision: "full", reason: "a new contract source", paths: pick(added.length > 0 ? added : batch) };

  const imported = new Set([...closures.values()].flat());
  const sources = batch.filter((path) => imported.has(path));
  if (sources.length > 0)
    return { decision: "entries", reason: "a contract source or a file it imports changed", paths: pick(sources) };
  const projects = new Set<string>();
  const inProjects: string[] = [];
  for (const path of batch) {
    const project = plan.entries.find((e) => path.startsWith(`${e.projectDir}${sep}`));
    if (project !== undefined && isSource(path)) {
      projects.add(project.projectDir);
      inProjects.push(path);
    }
  }
  if (inProjects.length > 0)
    return {
      decision: "project",
      reason: "another source in a project with contracts changed",
      paths: pick(inProjects),
      projects,
    };
  return { decision: "ignored", reason: "not a contract input", paths: pick(batch) };
}

function isSource(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf(sep) && SOURCE_EXTENSIONS.has(path.slice(dot));
}

function isContractSource(path: string): boolean {
  const name = basename(path);
  if (name === "contract.ts" || name === "contract.js") return true;
  return (
    basename(dirname(path)) === "contracts" &&
    /\.(ts|js)$/.test(name) &&
    !/(\.d\.ts|\.test\.|\.spec\.)/.test(name) &&
    !name.startsWith("_")
  );
}

/**
 * What the watch ignores: `.git/`, `.worktrees/`, `node_modules/` (and the
 * other skipped folders), the output roots, the root `.gitignore`'s patterns,
 * and every file that is neither a source nor an input.
 */
function ignoreMatcher(root: string, plan: () => Plan | undefined): (path: string) => boolean {
  const patterns = gitignorePatterns(root);
  return (path: string) => {
    const rel = toPosix(relative(root, path));
    if (rel.startsWith("..")) return true;
    const parts = rel.split("/");
    if (parts.some((part) => SKIPPED_DIRS.has(part))) return true;
    if ((plan()?.entries ?? []).some((e) => path === e.outRoot || path.startsWith(`${e.outRoot}${sep}`))) return true;
    if (!isSource(path) && !INPUT.test(basename(path))) return true;
    return patterns.some((glob) => glob.match(rel));
  };
}

function gitignorePatterns(root: string): InstanceType<typeof Bun.Glob>[] {
  const file = join(root, ".gitignore");
  if (!existsSync(file)) return [];
  const globs: InstanceType<typeof Bun.Glob>[] = [];
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    const line = raw.trim();
    // Negations cannot un-ignore here; they are left out rather than guessed.
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const pattern = line.replace(/\/+$/, "");
    const anchored = pattern.includes("/");
    const base = anchored ? pattern.replace(/^\//, "") : `**/${pattern}`;
    globs.push(new Bun.Glob(base), new Bun.Glob(`${base}/**`));
  }
  return globs;
}
