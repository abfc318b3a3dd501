import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { unexpectedFailure, type CliFailure } from "../app/cli-failure.ts";
import type { OutputFile } from "./render-entry.ts";

/**
 * Writing outputs (tooling.md §2.3): every file is parsed first (TypeScript,
 * declarations included, and the npm target's JavaScript with `Bun.Transpiler`,
 * JSON with `JSON.parse`), and a failure is a bug in
 * the generator (exit 1, nothing written). Only files whose bytes differ are
 * written, each to a temporary file that is then renamed over the old one,
 * so a no-op run writes nothing and a reader never sees half a file.
 */

const transpiler = new Bun.Transpiler({ loader: "ts" });
const jsTranspiler = new Bun.Transpiler({ loader: "js" });

export function parseCheck(files: readonly OutputFile[]): Result<void, CliFailure> {
  for (const file of files) {
    const extension = extname(file.path);
    try {
      if (extension === ".ts") transpiler.transformSync(file.contents);
      else if (extension === ".js") jsTranspiler.transformSync(file.contents);
      else if (extension === ".json") JSON.parse(file.contents);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return err(
        unexpectedFailure(`generated ${file.path} does not parse (a generator bug; nothing was written): ${message}`),
      );
    }
  }
  return ok(undefined);
}

/** Writes the files whose contents changed; returns their paths. */
export function writeChanged(files: readonly OutputFile[]): string[] {
  const written: string[] = [];
  const made = new Set<string>();
  for (const file of files) {
    if (sameContents(file.path, file.contents)) continue;
    const dir = dirname(file.path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const temporary = join(dir, `.${basename(file.path)}.${process.pid}.tmp`);
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
    written.push(file.path);
  }
  return written;
}

export function sameContents(path: string, contents: string): boolean {
  // Most outputs of a cold run do not exist yet; a failed read is slower than asking first.
  if (!existsSync(path)) return false;
  try {
    return readFileSync(path, "utf8") === contents;
  } catch {
    return false;
  }
}

/** Files under `dir` (recursively) that are not in `keep`, sorted. */
export function orphansIn(dir: string, keep: ReadonlySet<string>): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!keep.has(path)) found.push(path);
    }
  };
  walk(dir);
  return found;
}

/** Deletes `paths`, then directories they leave empty up to (not including) `stopAt`. */
export function removeFiles(paths: readonly string[], stopAt: string): void {
  for (const path of paths) {
    rmSync(path, { force: true });
    for (let dir = dirname(path); dir.startsWith(stopAt) && dir !== stopAt; dir = dirname(dir)) {
      try {
        if (readdirSync(dir).length > 0) break;
        rmdirSync(dir);
      } catch {
        break;
      }
    }
  }
}
