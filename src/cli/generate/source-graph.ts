import { readFileSync } from "node:fs";
import { dirname, extname, isAbsolute, resolve, sep } from "node:path";
import { sha256Hex } from "./hash.ts";
import { resolveWithPaths } from "./tsconfig-paths.ts";

/**
 * The static import graph of a contract source, found with Bun's own
 * transpiler and resolver (so tsconfig paths apply as they do when the
 * source is loaded). It is used for three things only — sources are still
 * loaded, never interpreted statically:
 *
 * - the files whose contents decide the manifest (cache stamps, watch);
 * - imports of generated SDKs, which must be generated before the source loads;
 * - imports that do not resolve yet (an SDK not generated so far).
 *
 * Files inside `node_modules` are not followed: the lockfile stands for them.
 */

export type SdkImport =
  /** A path into `<out>/packages/<ts|npm>/<dir>/` of a planned output root. */
  | { readonly kind: "dir"; readonly outRoot: string; readonly target: "ts" | "npm"; readonly dir: string }
  /** A bare specifier that did not resolve (maybe `@trellis-sdk/<name>` before it exists). */
  | { readonly kind: "package"; readonly name: string };

export type SourceScan = {
  /** Every local file the source reaches, with the SHA-256 of its contents, sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  readonly sdkImports: readonly SdkImport[];
  /** Specifiers that did not resolve, with the file importing them. */
  readonly unresolved: readonly { readonly from: string; readonly specifier: string }[];
};

const LOADERS: { readonly [ext: string]: "ts" | "tsx" | "js" | "jsx" } = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".jsx": "jsx",
};

type FileScan = { hash: string; imports: string[] };

/** Scans share per-file results within one run (sources of a workspace import the same files). */
export class SourceScanner {
  readonly #files = new Map<string, FileScan | undefined>();
  readonly #transpilers = new Map<string, InstanceType<typeof Bun.Transpiler>>();

  /**
   * `outRoots`: where generated packages live; `isSdkPackage`: whether an
   * unresolved bare specifier names an SDK some entry may produce (the
   * package prefix or `sdk.names`), so that ordinary packages never delay a load.
   */
  constructor(
    private readonly outRoots: readonly string[],
    private readonly isSdkPackage: (name: string) => boolean = () => false,
  ) {}

  /** Drops what is known about files that were just written (generated SDK files a source imports). */
  forget(paths: Iterable<string>): void {
    for (const path of paths) this.#files.delete(resolve(path));
  }

  scan(entry: string): SourceScan {
    const files = new Map<string, string>();
    const sdkImports = new Map<string, SdkImport>();
    const unresolved: { from: string; specifier: string }[] = [];
    const queue = [resolve(entry)];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (files.has(file)) continue;
      const scanned = this.#scanFile(file);
      if (scanned === undefined) continue;
      files.set(file, scanned.hash);
      for (const specifier of scanned.imports) {
        if (specifier.startsWith("node:") || specifier.startsWith("bun:") || specifier === "bun") continue;
        let target: string | undefined;
        const bare = !specifier.startsWith(".") && !isAbsolute(specifier);
        try {
          target = Bun.resolveSync(specifier, dirname(file));
        } catch {
          target = bare ? resolveWithPaths(specifier, dirname(file)) : undefined;
        }
        if (target === undefined) {
          unresolved.push({ from: file, specifier });
          const sdk = bare ? packageImport(specifier) : this.#sdkDir(resolve(dirname(file), specifier));
          if (sdk !== undefined && (sdk.kind === "dir" || this.isSdkPackage(sdk.name)))
            sdkImports.set(JSON.stringify(sdk), sdk);
          continue;
        }
        if (target.split(sep).includes("node_modules") || !isAbsolute(target)) continue;
        const sdk = this.#sdkDir(target);
        if (sdk !== undefined) sdkImports.set(JSON.stringify(sdk), sdk);
        queue.push(target);
      }
    }
    const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { files: sorted, sdkImports: [...sdkImports.values()], unresolved };
  }

  #scanFile(file: string): FileScan | undefined {
    if (this.#files.has(file)) return this.#files.get(file);
    let result: FileScan | undefined;
    try {
      const bytes = readFileSync(file);
      const loader = LOADERS[extname(file).toLowerCase()];
      let imports: string[] = [];
      if (loader !== undefined) {
        let transpiler = this.#transpilers.get(loader);
        if (transpiler === undefined) {
          transpiler = new Bun.Transpiler({ loader });
          this.#transpilers.set(loader, transpiler);
        }
        try {
          imports = transpiler.scanImports(bytes.toString("utf8")).map((i) => i.path);
        } catch {
          // A syntax error shows when the source loads; the file still counts for the stamp.
        }
      }
      result = { hash: sha256Hex(bytes), imports };
    } catch {
      result = undefined;
    }
    this.#files.set(file, result);
    return result;
  }

  /** `<out>/packages/<ts|npm>/<dir>/...` of a planned output root. */
  #sdkDir(path: string): SdkImport | undefined {
    for (const outRoot of this.outRoots) {
      for (const target of ["ts", "npm"] as const) {
        const prefix = `${resolve(outRoot, "packages", target)}${sep}`;
        if (!path.startsWith(prefix)) continue;
        const dir = path.slice(prefix.length).split(sep)[0];
        if (dir !== undefined && dir !== "") return { kind: "dir", outRoot, target, dir };
      }
    }
    return undefined;
  }
}

function packageImport(specifier: string): SdkImport {
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  return { kind: "package", name };
}
