import { dirname, resolve } from "node:path";
import pkg from "../../../../package.json" with { type: "json" };
import { err, ok } from "../../../contracts/index.ts";
import { buildInfo } from "../../app/build-info.ts";
import { listFlag, trellisCommand } from "../../app/command.ts";
import { ExitCode, type ExitStatus } from "../../app/exit-codes.ts";
import { writeFailure, writeJson, writeResult } from "../../app/output.ts";
import { buildPlan, type GenerateOptions } from "../../generate/plan.ts";
import { forgetPackageInfo } from "../../generate/package-config.ts";
import { forgetTsconfigPaths } from "../../generate/tsconfig-paths.ts";
import { jsonReport, printText, summaryLine } from "../../generate/report.ts";
import { runGenerate, type RunOptions } from "../../generate/run-generate.ts";
import { watchGenerate, type Decision } from "../../generate/watch.ts";

/** `trellis generate` (tooling.md §2): manifests and TypeScript SDKs (npm: compiled for Node.js), `--check`, `--watch`. */
export default trellisCommand({
  name: "generate",
  description: "Generate canonical manifests and typed TypeScript SDKs from contracts (--check: exit 4 if stale)",
  args: {
    path: { type: "positional", required: false, description: "Project or workspace directory (default: .)" },
    source: { type: "string", description: "Generate from one contract source file" },
    manifest: { type: "string", description: "Generate from one manifest .json file" },
    out: { type: "string", description: "Output root (default: trellis.out, else <workspace or project>/generated)" },
    "out-manifest": { type: "string", description: "Manifest file to write (single input only)" },
    "sdk-out": { type: "string", description: "SDK package directory (single input only)" },
    targets: { type: "string", description: "Targets, repeated or comma-separated: manifest, ts, npm" },
    prefix: { type: "string", description: "Package name prefix (default: @trellis-sdk/)" },
    "package-name": { type: "string", description: "SDK package name (single input only)" },
    "artifact-version": { type: "string", description: "Package version (default: the owning package.json's)" },
    export: { type: "string", description: "Export to read from source modules (default: default)" },
    "runtime-import": {
      type: "string",
      description: "Module generated code imports the runtime from (default: @trellis/runtime)",
    },
    check: {
      type: "boolean",
      description: "Render in memory and compare; exit 4 if anything is stale, missing or orphaned",
    },
    watch: { type: "boolean", description: "Generate, then regenerate on every change" },
    changes: { type: "boolean", description: "With --watch: print each batch's decision, reason and paths" },
    force: { type: "boolean", description: "Ignore freshness stamps" },
    json: { type: "boolean", description: "Print JSON (NDJSON per batch with --watch)" },
  },
  run: async (args, { rawArgs }) => {
    const cwd = process.cwd();
    const targets = listFlag(rawArgs, "targets");
    const options: GenerateOptions = {
      cwd,
      path: typeof args.path === "string" ? args.path : undefined,
      source: args.source,
      manifest: args.manifest,
      out: args.out,
      outManifest: args["out-manifest"],
      sdkOut: args["sdk-out"],
      targets: targets.length > 0 ? targets : undefined,
      prefix: args.prefix,
      packageName: args["package-name"],
      artifactVersion: args["artifact-version"],
      exportName: args.export,
      runtimeImport: args["runtime-import"],
    };
    const json = args.json === true;
    const runOptions = (forceProjects?: ReadonlySet<string>): RunOptions => ({
      check: args.check === true,
      force: args.force === true,
      cliVersion: buildInfo().version,
      peerVersions: { runtime: buildInfo().version, valibot: pkg.dependencies.valibot },
      ...(forceProjects === undefined ? {} : { forceProjects }),
    });

    if (args.watch === true) {
      if (args.check === true) return ok(usage("--watch and --check do not go together"));
      const code = await watchGenerate({
        plan: () => {
          forgetPackageInfo();
          forgetTsconfigPaths();
          return buildPlan(options);
        },
        run: (plan, forceProjects) => runGenerate(plan, runOptions(forceProjects)),
        report: (result, decision, failure, elapsedMs) =>
          reportBatch(result, decision, failure, elapsedMs, { json, changes: args.changes === true, cwd }),
        generatorPaths: generatorPaths(),
      });
      return ok(code as ExitStatus);
    }

    const plan = buildPlan(options);
    if (plan.isErr()) return err(plan.error);
    // On a terminal, one line on stderr counts entries as they finish (tooling.md §4 "Progress").
    const progress = !json && process.stderr.isTTY === true;
    const done: string[] = [];
    const onOutcome = (outcome: { action: string }) => {
      done.push(outcome.action);
      process.stderr.write(`\r\x1b[K${done.length}/${plan.value.entries.length} ${outcome.action}`);
    };
    const result = await runGenerate(plan.value, { ...runOptions(), ...(progress ? { onOutcome } : {}) });
    if (progress) process.stderr.write("\r\x1b[K");
    if (json) writeJson(jsonReport(result, cwd));
    else {
      printText(result, cwd);
      process.stderr.write(`${summaryLine(result)}\n`);
    }
    if (process.env.TRELLIS_TIMING) {
      const t = result.timing;
      process.stderr.write(
        `timing: scan ${ms(t.scan)}, load ${ms(t.load)}, render ${ms(t.render)}, write ${ms(t.write)}, total ${ms(t.total)}\n`,
      );
    }
    return ok(result.exit);
  },
});

const ms = (value: number) => `${Math.round(value)} ms`;

function usage(message: string): ExitStatus {
  writeFailure({ exit: ExitCode.usage, code: "usage", message }, false);
  return ExitCode.usage;
}

function reportBatch(
  result: Awaited<ReturnType<typeof runGenerate>> | undefined,
  decision: Decision | undefined,
  failure: Parameters<typeof writeFailure>[0] | undefined,
  elapsedMs: number,
  { json, changes, cwd }: { json: boolean; changes: boolean; cwd: string },
): void {
  if (json) {
    const line = {
      ...(decision === undefined
        ? { decision: "initial" }
        : { decision: decision.decision, reason: decision.reason, paths: decision.paths }),
      ...(result === undefined ? {} : (jsonReport(result, cwd) as object)),
      ...(failure === undefined ? {} : { error: { code: failure.code, exit: failure.exit, message: failure.message } }),
      elapsedMs: Math.round(elapsedMs),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return;
  }
  if (decision !== undefined && (changes || decision.decision === "restart")) {
    writeResult(`change ${decision.decision} reason="${decision.reason}" paths=${decision.paths.join(",")}`);
  }
  if (failure !== undefined) writeFailure(failure, false);
  if (result !== undefined) {
    printText(result, cwd);
    process.stderr.write(`${summaryLine(result)} (${Math.round(elapsedMs)} ms)\n`);
  }
}

/**
 * What counts as "the generator" for watch rule 1: the compiled binary, or
 * when running from source, the CLI, codegen and contract model sources.
 */
function generatorPaths(): string[] {
  // A compiled binary's modules live in its embedded file system.
  if (import.meta.url.includes("$bunfs") || import.meta.url.includes("~BUN")) return [process.execPath];
  const src = resolve(dirname(new URL(import.meta.url).pathname), "..", "..", "..");
  return ["cli", "codegen", "contracts"].map((dir) => resolve(src, dir));
}
