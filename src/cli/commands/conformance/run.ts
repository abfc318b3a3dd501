import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { err, ok } from "../../../contracts/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { runConformance } from "../../conformance/run-conformance.ts";
import type { VectorReport } from "../../conformance/types.ts";

function renderText(reports: VectorReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(`${report.status.padEnd(15)} ${report.file} ${report.name}`);
    if (report.error !== undefined) lines.push(`    ${report.error}`);
    for (const check of report.status === "fail" ? report.checks : []) {
      const mark = check.expected === check.actual ? "ok  " : "FAIL";
      lines.push(`    ${mark} ${check.field}`, `         expected: ${check.expected}`, `         actual:   ${check.actual}`);
    }
  }
  return lines.join("\n");
}

export function summarize(reports: VectorReport[]) {
  const count = (status: VectorReport["status"]) => reports.filter((report) => report.status === status).length;
  return { passed: count("pass"), failed: count("fail"), notImplemented: count("not-implemented") };
}

export default trellisCommand({
  name: "run",
  description: "Run every conformance vector under DIR; exit 1 if any fails",
  args: {
    dir: { type: "string", description: "Directory of vector folders (default: ./conformance)", default: "conformance" },
    json: { type: "boolean", description: "Print {results, summary} as JSON" },
  },
  run: async (args) => {
    const dir = resolve(args.dir);
    if (!existsSync(dir)) return err(usageFailure(`${args.dir}: no such directory`, "pass --dir <folder with canonical-json/, contract-digest/, auth-proof/>"));
    const reports = await runConformance(dir);
    const summary = summarize(reports);
    if (args.json) writeJson({ results: reports, summary });
    else {
      writeResult(renderText(reports));
      writeResult(`${summary.passed} passed, ${summary.failed} failed, ${summary.notImplemented} not implemented yet`);
    }
    return ok(summary.failed > 0 ? ExitCode.unexpected : ExitCode.ok);
  },
});
