import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR } from "./cache.ts";
import type { Plan } from "./plan.ts";
import type { EntryOutcome, StaleFile } from "./run-types.ts";
import { orphansIn, removeFiles } from "./write-tree.ts";

/**
 * In an output root this run covers completely, manifests, docs, SDK packages
 * and stamps of contracts no longer planned are removed (`--check`: reported).
 * A package directory is only touched when its package.json says Trellis
 * generated it, so that hand-written neighbours survive.
 */
export function pruneLeftovers(plan: Plan, outcomes: readonly EntryOutcome[], check: boolean): StaleFile[] {
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
