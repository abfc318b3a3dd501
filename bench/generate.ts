// `trellis generate` against the time of only loading the same sources, in
// one run: the examples (2 contracts) and a synthetic project of 50
// contracts with 20 surfaces each. Cold (no output, no stamps), fresh (a
// no-op second run: stamps match, nothing is loaded or written) and
// `--check` (loads and renders everything in memory).
// Usage: `bun bench/generate.ts [runs]`; uses dist/trellis when built.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, cpSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { loadContractModule } from "../src/cli/contract-files/load-module.ts";
import { formatMs, median, percentile } from "./stats.ts";

const runs = Number(process.argv[2] ?? 5);
const repo = join(import.meta.dir, "..");
const binary = join(repo, "dist", "trellis");
const command = existsSync(binary) ? [binary] : [process.execPath, join(repo, "src", "cli", "main.ts")];

function workspace(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
  const runtime = relative(dir, join(repo, "src", "runtime", "index.ts"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { paths: { "@trellis/runtime": [runtime] } } }),
  );
  return dir;
}

/** One contract with 20 surfaces: 8 rpc, 5 events, 4 feeds, 3 operations, each with its own schemas. */
function syntheticContract(n: number): string {
  const rpc = Array.from(
    { length: 8 },
    (_, i) =>
      `"Svc${n}.Call${i}": { version: "v1", input: ref.schema("In${i}"), output: ref.schema("Out${i}"), capabilities: { call: ["use"] }, errors: [ref.error("ValidationError")] },`,
  );
  const events = Array.from(
    { length: 5 },
    (_, i) =>
      `"Svc${n}.Changed${i}": { version: "v1", params: ["/id"], event: ref.schema("Ev${i}"), capabilities: { subscribe: ["use"] } },`,
  );
  const feeds = Array.from(
    { length: 4 },
    (_, i) => `"Svc${n}.Watch${i}": { version: "v1", input: ref.schema("In${i}"), event: ref.schema("Ev${i}") },`,
  );
  const operations = Array.from(
    { length: 3 },
    (_, i) =>
      `"Svc${n}.Run${i}": { version: "v1", input: ref.schema("In${i}"), progress: ref.schema("Ev${i}"), output: ref.schema("Out${i}"), cancel: true },`,
  );
  const schemas = Array.from({ length: 8 }, (_, i) =>
    [
      `In${i}: v.object({ id: v.pipe(v.string(), v.minLength(1)), count: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))), tags: v.array(v.string()) }),`,
      `Out${i}: v.object({ id: v.string(), status: v.picklist(["a", "b", "c"]), items: v.array(v.object({ sku: v.string(), qty: v.number() })) }),`,
      `Ev${i}: v.object({ id: v.string(), at: v.string(), value: v.nullable(v.number()) }),`,
    ].join("\n  "),
  );
  return `import * as v from "valibot";
import { defineServiceContract } from "@trellis/runtime";
const schemas = {
  ${schemas.join("\n  ")}
};
export default defineServiceContract({ schemas }, (ref) => ({
  id: "bench.svc${n}@v1", displayName: "Svc ${n}", description: "Synthetic contract ${n}.",
  capabilities: { use: { displayName: "Use", description: "Use it." } },
  rpc: { ${rpc.join("\n    ")} },
  events: { ${events.join("\n    ")} },
  feeds: { ${feeds.join("\n    ")} },
  operations: { ${operations.join("\n    ")} },
}));
`;
}

function synthetic(): { dir: string; sources: string[] } {
  const dir = workspace("trellis-bench-50-");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench", version: "1.0.0", type: "module" }));
  mkdirSync(join(dir, "contracts"));
  for (let n = 1; n <= 50; n++)
    writeFileSync(join(dir, "contracts", `svc${String(n).padStart(2, "0")}.ts`), syntheticContract(n));
  return {
    dir,
    sources: readdirSync(join(dir, "contracts"))
      .sort()
      .map((name) => join(dir, "contracts", name)),
  };
}

function examples(): { dir: string; sources: string[] } {
  const dir = workspace("trellis-bench-examples-");
  cpSync(join(repo, "examples"), join(dir, "examples"), {
    recursive: true,
    filter: (path) => !relative(join(repo, "examples"), path).split("/").includes("generated"),
  });
  const root = join(dir, "examples");
  return { dir: root, sources: ["orders", "orders-web"].map((p) => join(root, p, "contract.ts")) };
}

function generate(cwd: string, args: string[] = []): number {
  const started = performance.now();
  const child = Bun.spawnSync([...command, "generate", ...args], { cwd, stdout: "ignore", stderr: "pipe" });
  const elapsed = performance.now() - started;
  if (child.exitCode !== 0) throw new Error(`generate ${args.join(" ")} failed: ${child.stderr.toString()}`);
  return elapsed;
}

/** The baseline: loading every source in a child process, as many at once as generate does, and nothing else. */
async function loadOnly(sources: string[], cwd: string): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: availableParallelism() }, async () => {
      while (next < sources.length) (await loadContractModule(sources[next++]!, { cwd })).orThrow();
    }),
  );
  return performance.now() - started;
}

async function measure(name: string, project: { dir: string; sources: string[] }, cwd: string): Promise<string[]> {
  const out = join(project.dir, "generated");
  const cold: number[] = [];
  const fresh: number[] = [];
  const check: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    baseline.push(await loadOnly(project.sources, cwd));
    rmSync(out, { recursive: true, force: true });
    cold.push(generate(project.dir));
    fresh.push(generate(project.dir));
    check.push(generate(project.dir, ["--check"]));
  }
  const row = (label: string, samples: number[]) =>
    `| ${label} | ${formatMs(median(samples))} | ${formatMs(percentile(samples, 90))} | ${(median(samples) / median(baseline)).toFixed(2)} |`;
  return [
    `${name} (${project.sources.length} sources, ${runs} runs, ${availableParallelism()} loads at a time)`,
    "",
    "| run | median | p90 | × load only |",
    "| --- | --- | --- | --- |",
    row("load the sources only (baseline)", baseline),
    row("`generate`, cold", cold),
    row("`generate`, fresh (no-op)", fresh),
    row("`generate --check`", check),
    "",
  ];
}

const ex = examples();
const syn = synthetic();
try {
  console.log(`binary: ${command.join(" ")}\n`);
  console.log((await measure("examples/", ex, ex.dir)).join("\n"));
  console.log((await measure("synthetic: 50 contracts × 20 surfaces", syn, syn.dir)).join("\n"));
} finally {
  rmSync(join(ex.dir, ".."), { recursive: true, force: true });
  rmSync(syn.dir, { recursive: true, force: true });
}
