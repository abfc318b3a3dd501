import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { toPosix } from "./discover.ts";
import { sha256Hex } from "./hash.ts";
import type { CompilerStamp } from "./npm/npm-target.ts";
import type { OutputFile } from "./render-entry.ts";
import { writeChanged } from "./write-tree.ts";

/**
 * Freshness stamps in `<out>/.trellis-cache/<id>.json` (tooling.md §2.3):
 * the source, digest, manifest hash, package, targets and CLI version, plus
 * what decides them — a hash of every input (the source's local import
 * closure, package.json, tsconfig, bunfig, lockfile, the options), the
 * manifest hashes of its dependencies and, for target npm, the compiler's
 * version and the files it read — and the hash of every output. A
 * stamp that matches, with its outputs present and unchanged, means the
 * entry is fresh and is not even loaded. The directory ignores itself in git.
 */
export const CACHE_DIR = ".trellis-cache";
const FORMAT = "trellis.generate-stamp.v1";

export type Stamp = {
  readonly format: typeof FORMAT;
  readonly source: string;
  readonly id: string;
  readonly kind: string;
  readonly digest: string;
  readonly manifestHash: string;
  readonly package: string | null;
  readonly targets: readonly string[];
  /** Target npm: the tsc version and the files it read (stamps of older CLIs have none). */
  readonly compiler?: CompilerStamp | null;
  readonly cliVersion: string;
  readonly inputs: string;
  readonly dependencies: { readonly [id: string]: string | null };
  /** Output paths relative to the output root, POSIX, with their SHA-256. */
  readonly outputs: { readonly [path: string]: string };
  /** The output holding the canonical manifest (`null` for agents and devices). */
  readonly manifest: string | null;
};

/** The stamps of an output root, by source. */
export function readStamps(outRoot: string): Map<string, Stamp> {
  const dir = join(outRoot, CACHE_DIR);
  const stamps = new Map<string, Stamp>();
  if (!existsSync(dir)) return stamps;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".json")) continue;
    try {
      const stamp = JSON.parse(readFileSync(join(dir, name), "utf8")) as Stamp;
      if (stamp.format === FORMAT && typeof stamp.source === "string") stamps.set(stamp.source, stamp);
    } catch {
      // a damaged stamp only means the entry is not fresh
    }
  }
  return stamps;
}

/** Whether every output of the stamp exists with the recorded contents. */
export function outputsIntact(outRoot: string, stamp: Stamp): boolean {
  for (const [path, hash] of Object.entries(stamp.outputs)) {
    try {
      if (sha256Hex(readFileSync(resolve(outRoot, path))) !== hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export function outputHashes(outRoot: string, files: readonly OutputFile[]): { [path: string]: string } {
  const hashes: { [path: string]: string } = {};
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hashes[toPosix(relative(outRoot, file.path))] = sha256Hex(file.contents);
  }
  return hashes;
}

export function stampFiles(outRoot: string, stamp: Stamp): OutputFile[] {
  const dir = join(outRoot, CACHE_DIR);
  return [
    { path: join(dir, ".gitignore"), contents: "*\n" },
    { path: join(dir, `${stamp.id}.json`), contents: `${JSON.stringify(stamp, null, 2)}\n` },
  ];
}

export function writeStamp(outRoot: string, stamp: Omit<Stamp, "format">): void {
  writeChanged(stampFiles(outRoot, { format: FORMAT, ...stamp }));
}

/** The hash of everything that decides an entry's outputs besides its dependencies. */
export function inputsHash(parts: {
  readonly cliVersion: string;
  readonly options: unknown;
  readonly files: ReadonlyMap<string, string>;
  readonly context: readonly string[];
  readonly root: string;
}): string {
  const context: [string, string | null][] = parts.context.map((path) => {
    const key = toPosix(relative(parts.root, path));
    try {
      return [key, sha256Hex(readFileSync(path))];
    } catch {
      return [key, null];
    }
  });
  return sha256Hex(JSON.stringify({ cli: parts.cliVersion, options: parts.options, files: [...parts.files], context }));
}
