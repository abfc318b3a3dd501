import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { err, loadManifest, ok, type NormalizedManifest, type Result } from "../../contracts/index.ts";
import { invalidContract, usageFailure, type CliFailure } from "../app/cli-failure.ts";
import { loadContractModule } from "./load-module.ts";
import { findProjectRoot } from "./project-root.ts";

export type LoadedContract = {
  /** The path as given on the command line. */
  path: string;
  origin: "manifest" | "source";
  manifest: NormalizedManifest;
  digest: string;
  /** Canonical JSON of the normalized manifest. */
  canonical: string;
};

const SOURCE_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]);

export type ReadContractOptions = { exportName?: string };

/** Reads a manifest `.json` or imports a contract source, then validates, normalizes and digests it. */
export async function readContractFile(
  path: string,
  options: ReadContractOptions = {},
): Promise<Result<LoadedContract, CliFailure>> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) return err(usageFailure(`${path}: no such file`));
  const extension = extname(absolute).toLowerCase();

  let raw: unknown;
  let origin: LoadedContract["origin"];
  if (extension === ".json") {
    origin = "manifest";
    try {
      raw = JSON.parse(readFileSync(absolute, "utf8")) as unknown;
    } catch (error) {
      return err(
        invalidContract(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`),
      );
    }
  } else if (SOURCE_EXTENSIONS.has(extension)) {
    origin = "source";
    const loaded = await loadContractModule(absolute, {
      cwd: findProjectRoot(dirname(absolute)),
      ...(options.exportName === undefined ? {} : { exportName: options.exportName }),
    });
    if (loaded.isErr()) return err(loaded.error);
    raw = loaded.value;
  } else {
    return err(usageFailure(`${path}: expected a manifest (.json) or a contract source (.ts, .js, ...)`));
  }

  const result = loadManifest(raw);
  if (result.isErr()) {
    const count = result.error.issues.length;
    return err(
      invalidContract(`${path}: invalid contract (${count} problem${count === 1 ? "" : "s"})`, result.error.issues),
    );
  }
  return ok({ path, origin, ...result.value });
}
