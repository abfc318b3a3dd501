import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { REPO_ROOT, runTrellis, type CliRun } from "../../support/cli.ts";

/**
 * A copy of `examples/` in a fresh temporary directory that loads like the
 * original: `node_modules` links to the repository's, and a tsconfig maps
 * `@trellis/runtime` to this repository's runtime source (relative, so two
 * copies at different places differ in nothing the generator reads).
 */
export type ExampleTree = {
  /** The temporary directory (holds `examples/`, `node_modules`, `tsconfig.json`). */
  readonly dir: string;
  readonly examples: string;
  readonly generated: string;
  generate(args?: string[], options?: { cwd?: string }): Promise<CliRun>;
  remove(): void;
};

export function makeExampleTree(prefix = "trellis-gen-"): ExampleTree {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const source = join(REPO_ROOT, "examples");
  cpSync(source, join(dir, "examples"), {
    recursive: true,
    // Outputs a local run may have left in the checkout are not part of the inputs.
    filter: (path) => !relative(source, path).split("/").includes("generated"),
  });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  writeRuntimePaths(dir);
  const examples = join(dir, "examples");
  return {
    dir,
    examples,
    generated: join(examples, "generated"),
    generate: (args = [], options = {}) => runTrellis(["generate", ...args], { cwd: options.cwd ?? examples }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A tsconfig in `dir` mapping the runtime import to this repository's source. */
export function writeRuntimePaths(dir: string): void {
  const runtime = relative(dir, join(REPO_ROOT, "src", "runtime", "index.ts"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    `${JSON.stringify({ compilerOptions: { paths: { "@trellis/runtime": [runtime] } } }, null, 2)}\n`,
  );
}

let shared: Promise<ExampleTree> | undefined;

/**
 * One generated example tree per test process (bun runs test files in one
 * process), for tests that only read it. Removed at exit.
 */
export function generatedExamples(): Promise<ExampleTree> {
  shared ??= (async () => {
    const tree = makeExampleTree("trellis-gen-shared-");
    process.once("exit", () => tree.remove());
    const run = await tree.generate();
    if (run.exitCode !== 0) throw new Error(`generate failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
    return tree;
  })();
  return shared;
}
