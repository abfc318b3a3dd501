import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { err, ok, type Result } from "../../../contracts/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { toPosix } from "../discover.ts";
import { sha256Hex } from "../hash.ts";
import { compileInputs, type CompileInputs } from "./compile-inputs.ts";
import { compileSdk, type CompiledSdk } from "./compile-sdk.ts";
import { findTsc, type Tsc } from "./find-tsc.ts";

/**
 * The `npm` target of one run: finds tsc and the runtime's types once per
 * project, compiles SDK packages, and says what a compile depended on for
 * the stamps — the compiler's version and every file it read (hashed), so a
 * new tsc, runtime or valibot makes the entry stale even where the lockfile
 * does not show it (a runtime mapped to sources by tsconfig `paths`).
 */
export type CompilerStamp = {
  /** `tsc --version`. */
  readonly tsc: string;
  /** What tsc read, relative to the entry's root, POSIX, sorted. */
  readonly files: readonly string[];
  /** SHA-256 over those files' contents. */
  readonly hash: string;
};

export class NpmTarget {
  readonly #versions = new Map<string, Promise<string | undefined>>();
  readonly #tsc = new Map<string, Promise<Result<Tsc, CliFailure>>>();
  readonly #inputs = new Map<string, Result<CompileInputs, CliFailure>>();

  tsc(projectDir: string): Promise<Result<Tsc, CliFailure>> {
    let found = this.#tsc.get(projectDir);
    if (found === undefined) {
      found = findTsc(projectDir, this.#versions);
      this.#tsc.set(projectDir, found);
    }
    return found;
  }

  inputs(runtimeImport: string, projectDir: string): Result<CompileInputs, CliFailure> {
    const key = `${runtimeImport}\n${projectDir}`;
    let found = this.#inputs.get(key);
    if (found === undefined) {
      found = compileInputs(runtimeImport, projectDir);
      this.#inputs.set(key, found);
    }
    return found;
  }

  async compile(parts: {
    readonly projectDir: string;
    readonly runtimeImport: string;
    readonly root: string;
    readonly sources: readonly { readonly path: string; readonly contents: string }[];
    readonly what: string;
  }): Promise<Result<CompiledSdk & { readonly stamp: CompilerStamp }, CliFailure>> {
    const tsc = await this.tsc(parts.projectDir);
    if (tsc.isErr()) return err({ ...tsc.error, message: `${parts.what}: ${tsc.error.message}` });
    const inputs = this.inputs(parts.runtimeImport, parts.projectDir);
    if (inputs.isErr()) return err({ ...inputs.error, message: `${parts.what}: ${inputs.error.message}` });
    const compiled = await compileSdk({
      sources: parts.sources,
      tsc: tsc.value,
      inputs: inputs.value,
      what: parts.what,
    });
    if (compiled.isErr()) return err(compiled.error);
    const files = compiled.value.read.map((path) => toPosix(relative(parts.root, path))).sort();
    const hash = filesHash(parts.root, files);
    return ok({ ...compiled.value, stamp: { tsc: tsc.value.version, files, hash: hash ?? "" } });
  }

  /** Whether a compile recorded in a stamp would read the same: same tsc version, same file contents. */
  async unchanged(stamp: CompilerStamp, projectDir: string, root: string): Promise<boolean> {
    const tsc = await this.tsc(projectDir);
    if (tsc.isErr() || tsc.value.version !== stamp.tsc) return false;
    return filesHash(root, stamp.files) === stamp.hash;
  }
}

/** The hash of the files' contents in order, `undefined` if one cannot be read. */
function filesHash(root: string, files: readonly string[]): string | undefined {
  const hashes: string[] = [];
  for (const file of files) {
    try {
      hashes.push(`${file}\n${sha256Hex(readFileSync(resolve(root, file)))}`);
    } catch {
      return undefined;
    }
  }
  return sha256Hex(hashes.join("\n"));
}
