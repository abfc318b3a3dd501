import { basename, dirname, join, relative } from "node:path";
import pkg from "../../../../package.json" with { type: "json" };
import { err, ok } from "../../../contracts/index.ts";
import { buildInfo } from "../../app/build-info.ts";
import { trellisCommand } from "../../app/command.ts";
import { writeFailure, writeJson, writeResult } from "../../app/output.ts";
import { renderTable } from "../../app/output.ts";
import { toPosix } from "../../generate/discover.ts";
import { buildPlan } from "../../generate/plan.ts";
import { runGenerate, type EntryAction, type EntryOutcome } from "../../generate/run-generate.ts";

/**
 * `trellis contracts list [<path>] [--source|--manifest]` (tooling.md §3.2):
 * the plan of `trellis generate` — SOURCE, ID, KIND, ACTION, OUTPUTS —
 * computed like `--check` (nothing is written), fresh entries by their stamps.
 */
const ACTION: { readonly [A in EntryAction]: string } = {
  generated: "generate",
  fresh: "fresh",
  verified: "verify",
  "up-to-date": "fresh",
  stale: "generate",
  failed: "fail",
  skipped: "skip",
};

export default trellisCommand({
  name: "list",
  description: "Show the plan of trellis generate: SOURCE, ID, KIND, ACTION, OUTPUTS",
  args: {
    path: { type: "positional", required: false, description: "Project or workspace directory (default: .)" },
    source: { type: "string", description: "One contract source file" },
    manifest: { type: "string", description: "One manifest .json file" },
    export: { type: "string", description: "Export to read from source modules (default: default)" },
    json: { type: "boolean", description: "Print {entries: [...]} as JSON" },
  },
  run: async (args) => {
    const cwd = process.cwd();
    const plan = buildPlan({
      cwd,
      path: typeof args.path === "string" ? args.path : undefined,
      source: args.source,
      manifest: args.manifest,
      exportName: args.export,
    });
    if (plan.isErr()) return err(plan.error);
    const result = await runGenerate(plan.value, {
      check: true,
      useStamps: true,
      force: false,
      cliVersion: buildInfo().version,
      peerVersions: { runtime: buildInfo().version, valibot: pkg.dependencies.valibot },
    });
    const rows = result.outcomes.map((o) => ({
      source: o.entry.display,
      id: o.id ?? "-",
      kind: o.kind ?? "-",
      action: ACTION[o.action],
      outputs: outputsOf(o, cwd),
    }));
    if (args.json) writeJson({ entries: rows });
    else {
      writeResult(
        renderTable(
          ["SOURCE", "ID", "KIND", "ACTION", "OUTPUTS"],
          rows.map((r) => [r.source, r.id, r.kind, r.action, r.outputs.join(", ") || "-"]),
        ),
      );
      for (const o of result.outcomes)
        if (o.failure !== undefined && o.action !== "stale") writeFailure(o.failure, false);
    }
    return ok(result.outcomes.some((o) => o.action === "failed" || o.action === "skipped") ? result.exit : 0);
  },
});

/** The manifest file and the package directory, relative to the working directory. */
function outputsOf(outcome: EntryOutcome, cwd: string): string[] {
  const places = new Set<string>();
  for (const path of outcome.outputs) {
    let place = path.endsWith(".json") && path.includes("/contracts/manifests/") ? path : dirname(path);
    // The npm target's dist/ belongs to its package directory.
    if (basename(place) === "dist" && outcome.outputs.includes(join(dirname(place), "package.json")))
      place = dirname(place);
    places.add(toPosix(relative(cwd, place)) || ".");
  }
  return [...places].sort();
}
