// Builds the @trellis/runtime package for Node.js (design/packaging.md):
// `bun scripts/build-runtime.ts [--out dist/npm/runtime]`. tsc (tsconfig.runtime.json)
// emits JavaScript and declarations of src/runtime/ and the src/contracts/ files it
// imports; then package.json is written with exactly the packages the emitted code
// imports, at the root package.json's versions.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

export const ROOT = resolve(import.meta.dir, "..");
export const RUNTIME_PACKAGE_DIR = join(ROOT, "dist", "npm", "runtime");
export const RUNTIME_PACKAGE_NAME = "@trellis/runtime";
const TSC = join(ROOT, "node_modules", ".bin", "tsc");

type RootPackage = { version: string; license: string; dependencies: Record<string, string> };

/** Every file under `dir` with one of the extensions, as absolute paths. */
export function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => extensions.some((extension) => name.endsWith(extension)))
    .map((name) => join(dir, name))
    .sort();
}

/** `@scope/name/deep/path` → `@scope/name`; `name/deep` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

// tsc writes declarations with double quotes: `from "x"` and `import("x")`.
const DECLARATION_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*)"([^"]+)"/g;

/**
 * The packages the package's files import: the JavaScript (static and literal dynamic
 * imports) and the declarations (type imports vanish from the JavaScript, yet a
 * consumer's type checker needs those packages too). A Bun module or a Node built-in
 * without `node:` is refused: Node must load every file.
 */
function importedPackages(dir: string): Set<string> {
  const transpiler = new Bun.Transpiler({ loader: "js" });
  const packages = new Set<string>();
  const problems: string[] = [];
  for (const file of filesUnder(dir, [".js", ".d.ts"])) {
    const text = readFileSync(file, "utf8");
    const specifiers = file.endsWith(".d.ts")
      ? [...text.matchAll(DECLARATION_IMPORT)].map((match) => match[1]!)
      : transpiler.scanImports(text).map((entry) => entry.path);
    for (const path of specifiers) {
      if (path.startsWith(".") || path.startsWith("node:")) continue;
      const where = relative(dir, file);
      if (path === "bun" || path.startsWith("bun:")) problems.push(`${where} imports ${path}`);
      else if (isBuiltin(path)) problems.push(`${where} imports ${path} (write node:${path})`);
      else packages.add(packageOf(path));
    }
  }
  if (problems.length > 0) throw new Error(`the runtime must load on Node.js:\n  ${problems.join("\n  ")}`);
  return packages;
}

function packageJson(root: RootPackage, imported: Set<string>): Record<string, unknown> {
  const missing = [...imported].filter((name) => root.dependencies[name] === undefined);
  if (missing.length > 0) {
    throw new Error(`the runtime imports ${missing.join(", ")}, which the root package.json does not depend on`);
  }
  const entry = { types: "./runtime/index.d.ts", import: "./runtime/index.js" };
  return {
    name: RUNTIME_PACKAGE_NAME,
    version: root.version,
    description: "Trellis runtime: services and clients over NATS (RPC, events, feeds, health, lifecycle).",
    license: root.license,
    type: "module",
    engines: { node: ">=20" },
    types: entry.types,
    exports: { ".": entry, "./package.json": "./package.json" },
    dependencies: Object.fromEntries([...imported].sort().map((name) => [name, root.dependencies[name]!])),
  };
}

/** Emits the package into `outDir` (emptied first) and returns its package.json. */
export function buildRuntime(outDir: string = RUNTIME_PACKAGE_DIR): Record<string, unknown> {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = spawnSync(TSC, ["-p", join(ROOT, "tsconfig.runtime.json"), "--outDir", outDir], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (tsc.status !== 0) throw new Error(`tsc -p tsconfig.runtime.json failed (exit ${tsc.status ?? tsc.signal})`);
  const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as RootPackage;
  const manifest = packageJson(root, importedPackages(outDir));
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: "string", default: RUNTIME_PACKAGE_DIR } } });
  const outDir = resolve(values.out);
  try {
    const manifest = buildRuntime(outDir);
    console.log(`${RUNTIME_PACKAGE_NAME}@${String(manifest.version)} → ${relative(process.cwd(), outDir) || "."}`);
  } catch (error) {
    console.error(`build-runtime: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
