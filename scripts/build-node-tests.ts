// Compiles the runtime suite for Node.js into dist/node-tests/ (design/packaging.md):
// `bun scripts/build-node-tests.ts`. The suite is every node:test file under SUITE_DIRS
// whose imports stay portable (the runtime, the nats-server launcher, test helpers); any
// other test there runs on Bun only, and the build says why. The compiled tests load the
// package built by build-runtime.ts: dist/node-tests/src/{runtime,contracts} and
// node_modules/@trellis/runtime are links into dist/npm/runtime/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { buildRuntime, filesUnder, ROOT, RUNTIME_PACKAGE_DIR, RUNTIME_PACKAGE_NAME } from "./build-runtime.ts";

export const NODE_TESTS_DIR = join(ROOT, "dist", "node-tests");
const SUITE_DIRS = ["test/runtime", "test/e2e", "test/support"];
/** What a test on Node may load besides packages. src/runtime and src/contracts are the package. */
const PORTABLE = ["src/runtime/", "src/contracts/", "src/cli/local/", "test/", "conformance/"];
const PACKAGE_SOURCES = ["src/runtime/", "src/contracts/"];
const TSC = join(ROOT, "node_modules", ".bin", "tsc");

// Prettier-formatted TypeScript: `from "x"`, `import "x"`, `import("x")`, type imports included.
const IMPORT = /(?:\bfrom\s*|^import\s*|\bimport\s*\(\s*)"([^"]+)"/gm;
const transpiler = new Bun.Transpiler({ loader: "ts" });

const rel = (path: string) => relative(ROOT, path);

/** Why `file` cannot run on Node.js (the first Bun-only thing it reaches), or undefined. */
function bunOnlyReason(file: string, seen: Set<string> = new Set()): string | undefined {
  seen.add(file);
  const text = readFileSync(file, "utf8");
  // The transpiled code has no comments and no type-only code: a real use of the Bun global.
  if (/\bBun\b/.test(transpiler.transformSync(text))) return `${rel(file)} uses the Bun global`;
  for (const [, specifier = ""] of text.matchAll(IMPORT)) {
    if (specifier === "bun" || specifier.startsWith("bun:")) return `${rel(file)} imports ${specifier}`;
    if (!specifier.startsWith(".")) continue;
    const target = resolve(dirname(file), specifier);
    const path = rel(target);
    if (!PORTABLE.some((prefix) => path.startsWith(prefix))) return `${rel(file)} imports ${path}`;
    if (PACKAGE_SOURCES.some((prefix) => path.startsWith(prefix)) || !target.endsWith(".ts")) continue;
    if (seen.has(target)) continue;
    const reason = bunOnlyReason(target, seen);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** The node:test files of SUITE_DIRS, split into those Node runs and those left to Bun (with why). */
export function selectSuite(): { node: string[]; bunOnly: { file: string; reason: string }[] } {
  const node: string[] = [];
  const bunOnly: { file: string; reason: string }[] = [];
  for (const dir of SUITE_DIRS.map((name) => join(ROOT, name)).filter((path) => existsSync(path))) {
    for (const file of filesUnder(dir, [".test.ts"])) {
      if (!/^import .* from "node:test";$/m.test(readFileSync(file, "utf8"))) continue;
      const reason = bunOnlyReason(file);
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
