import { relative } from "node:path";
import { writeFailure, writeResult } from "../app/output.ts";
import { toPosix } from "./discover.ts";
import type { EntryAction, EntryOutcome, RunResult, StaleFile } from "./run-types.ts";

/**
 * How a run is reported (tooling.md §4): results on stdout (`ok <action>
 * <id> key=value`, `stale <path> reason=<why>`, or one JSON document),
 * failures, warnings and the summary line on stderr.
 */

export type Summary = { readonly [A in EntryAction]: number };

export function summarize(result: RunResult): Summary {
  const summary: { [A in EntryAction]: number } = {
    generated: 0,
    fresh: 0,
    verified: 0,
    "up-to-date": 0,
    stale: 0,
    failed: 0,
    skipped: 0,
  };
  for (const outcome of result.outcomes) summary[outcome.action]++;
  return summary;
}

/** `3 generated, 1 verified, 2 fresh` (plus the other counts that are not zero). */
export function summaryLine(result: RunResult): string {
  const s = summarize(result);
  const parts = [`${s.generated} generated`, `${s.verified} verified`, `${s.fresh} fresh`];
  for (const action of ["up-to-date", "stale", "failed", "skipped"] as const)
    if (s[action] > 0) parts.push(`${s[action]} ${action}`);
  return parts.join(", ");
}

export function printText(result: RunResult, cwd: string): void {
  const rel = (path: string) => toPosix(relative(cwd, path)) || ".";
  for (const outcome of result.outcomes) {
    for (const warning of outcome.warnings) process.stderr.write(`warning: ${warning}\n`);
    if (outcome.written.length > 0) for (const note of outcome.notes) process.stderr.write(`note: ${note}\n`);
    if (outcome.failure !== undefined && (outcome.action === "failed" || outcome.action === "skipped")) {
      writeFailure(outcome.failure, false);
      continue;
    }
    const source = `source=${outcome.entry.display}`;
    switch (outcome.action) {
      case "stale":
        if (outcome.failure !== undefined) process.stderr.write(`${outcome.failure.message}\n`);
        for (const file of outcome.stale) writeResult(`stale ${rel(file.path)} reason=${file.reason}`);
        break;
      case "up-to-date":
      case "verified":
      case "fresh":
        writeResult(`ok ${outcome.action} ${outcome.id ?? "?"} ${source}`);
        break;
      case "generated":
        writeResult(
          `ok generated ${outcome.id ?? "?"} ${source} written=${outcome.written.length}${outcome.removed.length > 0 ? ` removed=${outcome.removed.length}` : ""}`,
        );
        break;
    }
  }
  for (const file of result.leftovers) writeResult(`stale ${rel(file.path)} reason=${file.reason}`);
}

export function jsonReport(result: RunResult, cwd: string): unknown {
  const rel = (path: string) => toPosix(relative(cwd, path)) || ".";
  const staleOf = (files: readonly StaleFile[]) => files.map((f) => ({ path: rel(f.path), reason: f.reason }));
  const results = result.outcomes.map((o: EntryOutcome) => ({
    source: o.entry.display,
    id: o.id,
    kind: o.kind,
    action: o.action,
    digest: o.digest,
    package: o.packageName,
    outputs: o.outputs.map(rel),
    written: o.written.map(rel),
    removed: o.removed.map(rel),
    stale: staleOf(o.stale),
    warnings: o.warnings,
    ...(o.failure === undefined
      ? {}
      : {
          error: { code: o.failure.code, exit: o.failure.exit, message: o.failure.message, issues: o.failure.issues },
        }),
  }));
  return {
    results,
    stale: staleOf([...result.outcomes.flatMap((o) => o.stale), ...result.leftovers]),
    summary: summarize(result),
  };
}
