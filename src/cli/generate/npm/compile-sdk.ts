import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, sep } from "node:path";
import { err, ok, type Result } from "../../../contracts/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import type { CompileInputs } from "./compile-inputs.ts";
import type { Tsc } from "./find-tsc.ts";

/**
 * Compiles a rendered SDK package's TypeScript to `dist/*.js` and
 * `dist/*.d.ts` for Node.js (the `npm` target), in a temporary directory that
 * is removed afterwards; nothing is written near the output tree.
 *
 * The directory holds the sources under `src/`, a `package.json` that makes
 * them ESM, and a `node_modules` with only the runtime, valibot and
 * `@types/node` (links to the `compile-inputs.ts` choices), so the SDK can
 * reach nothing else. A runtime mapped by tsconfig `paths` is presented as a
 * package there too, whose entry links to the mapped file's directory: tsc
 * then reads it as a library (type-checked, never emitted) while the SDK is
 * emitted alone under `rootDir`.
 *
 * The settings (`nodenext`, `rewriteRelativeImportExtensions`, declarations,
 * no source maps, LF) are those design/packaging.md found to run on Node.js.
 * Any diagnostic fails the compile: the SDK must type-check against the
 * runtime it names. Emitted files import only `./` siblings and packages
 * (checked), so their bytes carry no path of this machine.
 */

export type CompiledSdk = {
  /** `dist/<name>.js` and `dist/<name>.d.ts`, sorted by path. */
  readonly files: readonly { readonly path: string; readonly contents: string }[];
  /** Every file tsc read outside the temporary directory (its `--listFiles`), real paths, sorted. */
  readonly read: readonly string[];
};

export const COMPILER_OPTIONS = {
  strict: true,
  target: "ES2022",
  lib: ["ES2024"],
  module: "nodenext",
  moduleResolution: "nodenext",
  rewriteRelativeImportExtensions: true,
  declaration: true,
  declarationMap: false,
  sourceMap: false,
  removeComments: false,
  newLine: "lf",
  skipLibCheck: true,
  noEmitOnError: true,
  rootDir: "src",
  outDir: "dist",
} as const;

export async function compileSdk(parts: {
  /** The package's `.ts` files, by file name. */
  readonly sources: readonly { readonly path: string; readonly contents: string }[];
  readonly tsc: Tsc;
  readonly inputs: CompileInputs;
  /** Names the package in messages. */
  readonly what: string;
}): Promise<Result<CompiledSdk, CliFailure>> {
  const work = realpathSync(mkdtempSync(join(tmpdir(), "trellis-npm-")));
  try {
    const src = join(work, "src");
    mkdirSync(src);
    for (const file of parts.sources) writeFileSync(join(src, file.path), file.contents);
    writeFileSync(join(work, "package.json"), `${JSON.stringify({ private: true, type: "module" })}\n`);
    linkDependencies(work, parts.inputs);
    const tsconfig = {
      compilerOptions: { ...COMPILER_OPTIONS, types: parts.inputs.typesNode === undefined ? [] : ["node"] },
      files: parts.sources.map((f) => `src/${f.path}`).sort(),
    };
    writeFileSync(join(work, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);

    const child = Bun.spawn([parts.tsc.path, "-p", "tsconfig.json", "--pretty", "false", "--listFiles"], {
      cwd: work,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    const lines = `${stdout}\n${stderr}`.split("\n").filter((line) => line.trim() !== "");
    // --listFiles prints absolute paths; everything else is a diagnostic.
    const listed = lines.filter((line) => line.startsWith("/"));
    const diagnostics = lines.filter((line) => !line.startsWith("/"));
    if (code !== 0 || diagnostics.length > 0) {
      const shown = diagnostics.slice(0, 20).map((line) => `  ${line}`);
      if (diagnostics.length > 20) shown.push(`  … ${diagnostics.length - 20} more`);
      return err({
        exit: ExitCode.unexpected,
        code: "tsc_failed",
        message: `${parts.what}: tsc (${parts.tsc.version}) did not compile the SDK for the npm target (exit ${code}):\n${shown.join("\n")}`,
        hint: "a generator bug, runtime types that do not match this CLI, or a tsc older than 5.7 (rewriteRelativeImportExtensions); nothing was written for this package",
      });
    }
    const dist = join(work, "dist");
    const files = emitted(dist).map((path) => ({
      path: `dist/${relative(dist, path).split(sep).join("/")}`,
      contents: readFileSync(path, "utf8"),
    }));
    const problems = files.flatMap((file) => nonPortableImports(file.path, file.contents));
    if (problems.length > 0) {
      return err({
        exit: ExitCode.unexpected,
        code: "tsc_failed",
        message: `${parts.what}: tsc emitted imports that only resolve on this machine (a generator bug; nothing was written):\n${problems.map((p) => `  ${p}`).join("\n")}`,
      });
    }
    const read = [...new Set(listed.filter((path) => !path.startsWith(`${work}/`)))].sort();
    return ok({ files, read });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function linkDependencies(work: string, inputs: CompileInputs): void {
  const modules = join(work, "node_modules");
  const link = (target: string, name: string) => {
    const path = join(modules, name);
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path, "dir");
  };
  const { runtime } = inputs;
  if (runtime.kind === "installed") link(runtime.dir, runtime.packageName);
  else {
    // A package whose one export is the mapped file, reached through a link to its directory.
    const dir = join(modules, runtime.packageName);
    mkdirSync(dir, { recursive: true });
    symlinkSync(dirname(runtime.file), join(dir, "entry"), "dir");
    const entry = `./entry/${basename(runtime.file)}`;
    const pkg = { name: runtime.packageName, type: "module", exports: { [`.${runtime.subpath}`]: { types: entry } } };
    writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg)}\n`);
  }
  link(inputs.valibot, "valibot");
  if (inputs.typesNode !== undefined) link(inputs.typesNode, "@types/node");
}

function emitted(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

const scanner = new Bun.Transpiler({ loader: "js" });
// Declarations: tsc's own forms, `import … from "x";`/`export … from "x";` at a line start and `import("x")`.
const DECLARATION_SPECIFIER = /^(?:import|export)\b[^;"]*?\bfrom\s*"([^"]+)"|\bimport\("([^"]+)"\)/gm;

/** Imports other than `./<sibling>` and bare package names: paths into this machine's file system. */
function nonPortableImports(path: string, contents: string): string[] {
  const specifiers = path.endsWith(".d.ts")
    ? [...contents.matchAll(DECLARATION_SPECIFIER)].map((match) => match[1] ?? match[2]!)
    : scanner.scanImports(contents).map((entry) => entry.path);
  return specifiers
    .filter((specifier) => (specifier.startsWith(".") ? !/^\.\/[^/]+$/.test(specifier) : specifier.startsWith("/")))
    .map((specifier) => `${path}: "${specifier}"`);
}
