// Compiles the runtime suite for Node.js into dist/node-tests/ (design/packaging.md):
// `bun scripts/build-node-tests.ts`. The suite is every node:test file under the suite's
// dirs whose imports stay portable (the runtime, the nats-server launcher, test helpers);
// any other test there runs on Bun only, and the build says why. So does one whose imports
// cannot be followed (a computed or template-string specifier, a file that does not exist,
// a file that does not parse): the build reports it rather than failing as a whole. The
// compiled tests load the package built by build-runtime.ts: dist/node-tests/src/{runtime,
// contracts} and node_modules/@trellis/runtime are links into dist/npm/runtime/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { buildRuntime, filesUnder, ROOT, RUNTIME_PACKAGE_DIR, RUNTIME_PACKAGE_NAME } from "./build-runtime.ts";

export const NODE_TESTS_DIR = join(ROOT, "dist", "node-tests");
const TSC = join(ROOT, "node_modules", ".bin", "tsc");

/** Where the suite is taken from and what a test on Node may load besides packages (paths relative to `root`). */
export type SuiteScope = { root: string; dirs: string[]; portable: string[]; packageSources: string[] };

export const SUITE_SCOPE: SuiteScope = {
  root: ROOT,
  dirs: ["test/runtime", "test/e2e", "test/support"],
  portable: ["src/runtime/", "src/contracts/", "src/cli/local/", "test/", "conformance/"],
  // src/runtime and src/contracts are the package: the compiled tests load it, not these files.
  packageSources: ["src/runtime/", "src/contracts/"],
};

// Prettier-formatted TypeScript: `from "x"`, `import "x"`, `import("x")`, type imports included (tsc
// compiles what a type import reaches). A plain scan of the text, so it also sees import lines inside
// template strings (tests that write source files); those are checked like real ones.
const IMPORT = /(?:\bfrom\s*|^import\s*|\bimport\s*\(\s*)(["'])(.*?)\1/gm;
// After transpiling (no comments, no types; a template without substitutions becomes a string), a
// dynamic import whose argument does not start with a quote is computed: nothing to follow.
const COMPUTED_IMPORT = /\bimport\s*\(\s*(?!["'])/;
const transpiler = new Bun.Transpiler({ loader: "ts" });

const rel = (path: string, root = ROOT) => relative(root, path);

/** Why `file` cannot run on Node.js (the first Bun-only or unresolvable thing it reaches), or undefined. */
function bunOnlyReason(file: string, scope: SuiteScope, seen: Set<string> = new Set()): string | undefined {
  seen.add(file);
  const name = rel(file, scope.root);
  const text = readFileSync(file, "utf8");
  let code: string;
  try {
    code = transpiler.transformSync(text);
  } catch (error) {
    return `${name} does not parse (${error instanceof Error ? error.message : String(error)})`;
  }
  // The transpiled code has no comments and no type-only code: a real use of the Bun global.
  if (/\bBun\b/.test(code)) return `${name} uses the Bun global`;
  for (const [, , specifier = ""] of text.matchAll(IMPORT)) {
    if (specifier === "bun" || specifier.startsWith("bun:")) return `${name} imports ${specifier}`;
    if (!specifier.startsWith(".")) continue;
    if (specifier.includes("${")) return `${name} imports a template string (${specifier})`;
    const target = resolve(dirname(file), specifier);
    const path = rel(target, scope.root);
    if (!scope.portable.some((prefix) => path.startsWith(prefix))) return `${name} imports ${path}`;
    if (!isFile(target)) return `${name} imports ${path}, which does not exist`;
    if (scope.packageSources.some((prefix) => path.startsWith(prefix)) || !target.endsWith(".ts")) continue;
    if (seen.has(target)) continue;
    const reason = bunOnlyReason(target, scope, seen);
    if (reason !== undefined) return reason;
  }
  // Last, so that a file with a Bun-only literal import is reported by that import.
  if (COMPUTED_IMPORT.test(code)) return `${name} has a dynamic import of a computed specifier`;
  return undefined;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** The node:test files of the scope's dirs, split into those Node runs and those left to Bun (with why). */
export function selectSuite(scope: SuiteScope = SUITE_SCOPE): {
  node: string[];
  bunOnly: { file: string; reason: string }[];
} {
  const node: string[] = [];
  const bunOnly: { file: string; reason: string }[] = [];
  for (const dir of scope.dirs.map((name) => join(scope.root, name)).filter((path) => existsSync(path))) {
    for (const file of filesUnder(dir, [".test.ts"])) {
      if (!/^import .* from "node:test";$/m.test(readFileSync(file, "utf8"))) continue;
      const reason = bunOnlyReason(file, scope);
      if (reason === undefined) node.push(file);
      else bunOnly.push({ file, reason });
    }
  }
  return { node, bunOnly };
}

function link(path: string, target: string): void {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(relative(dirname(path), target), path);
}

/** Builds the runtime package and the suite; returns the compiled test files. */
export function buildNodeTests(): string[] {
  buildRuntime();
  const { node, bunOnly } = selectSuite();
  for (const { file, reason } of bunOnly) console.log(`Bun only: ${rel(file)} (${reason})`);
  rmSync(NODE_TESTS_DIR, { recursive: true, force: true });
  mkdirSync(NODE_TESTS_DIR, { recursive: true });
  const config = join(NODE_TESTS_DIR, "tsconfig.json");
  const files = node.map((file) => relative(NODE_TESTS_DIR, file));
  writeFileSync(config, `${JSON.stringify({ extends: "../../tsconfig.node-tests.json", files }, null, 2)}\n`);
  const tsc = spawnSync(TSC, ["-p", config], { cwd: ROOT, stdio: "inherit" });
  if (tsc.status !== 0) throw new Error(`tsc -p ${rel(config)} failed (exit ${tsc.status ?? tsc.signal})`);
  // tsc compiled the runtime's sources along with the tests; the tests load the package instead.
  for (const dir of ["runtime", "contracts"]) link(join(NODE_TESTS_DIR, "src", dir), join(RUNTIME_PACKAGE_DIR, dir));
  link(join(NODE_TESTS_DIR, "node_modules", RUNTIME_PACKAGE_NAME), RUNTIME_PACKAGE_DIR);
  return node.map((file) => join(NODE_TESTS_DIR, rel(file)).replace(/\.ts$/, ".js"));
}

if (import.meta.main) {
  try {
    const tests = buildNodeTests();
    console.log(`node suite: ${tests.length} test files → ${rel(NODE_TESTS_DIR)}`);
  } catch (error) {
    console.error(`build-node-tests: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
