import { readFileSync } from "node:fs";
import { err, loadManifest, ok, type NormalizedManifest, type Result } from "../../contracts/index.ts";
import { invalidContract, type CliFailure } from "../app/cli-failure.ts";
import { loadContractModule } from "../contract-files/load-module.ts";
import type { PlanEntry } from "./plan.ts";

export type LoadedManifest = {
  readonly manifest: NormalizedManifest;
  readonly digest: string;
  readonly canonical: string;
};

/**
 * Loads one input (tooling.md §1 "Loading"): a source is imported in a fresh
 * child process of this binary with the project root as cwd; a manifest is
 * read. Either way the JSON is validated, normalized and digested here, and
 * every failure names the input as the user gave it.
 */
export async function loadEntry(entry: PlanEntry): Promise<Result<LoadedManifest, CliFailure>> {
  let raw: unknown;
  if (entry.input === "manifest") {
    try {
      raw = JSON.parse(readFileSync(entry.file, "utf8"));
    } catch (error) {
      return err(
        invalidContract(`${entry.display}: not valid JSON (${error instanceof Error ? error.message : String(error)})`),
      );
    }
  } else {
    const loaded = await loadContractModule(entry.file, {
      cwd: entry.projectDir,
      label: entry.display,
      ...(entry.exportName === undefined ? {} : { exportName: entry.exportName }),
    });
    if (loaded.isErr()) return err(loaded.error);
    raw = loaded.value;
  }
  return validated(raw, entry.display);
}

export function validated(raw: unknown, display: string): Result<LoadedManifest, CliFailure> {
  const result = loadManifest(raw);
  if (result.isErr()) {
    const count = result.error.issues.length;
    return err(
      invalidContract(`${display}: invalid contract (${count} problem${count === 1 ? "" : "s"})`, result.error.issues),
    );
  }
  return ok(result.value);
}
