import { err, ok, type NormalizedManifest } from "../../../contracts/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode, type ExitStatus } from "../../app/exit-codes.ts";
import { writeFailure, writeJson, writeResult } from "../../app/output.ts";
import { readContractFile } from "../../contract-files/read-contract-file.ts";
import { withSession } from "../svc/with-session.ts";
import { LiveCheck, notReady, type LiveFinding } from "./live-check.ts";

type VerifyReport =
  | { path: string; valid: true; id: string; kind: string; digest: string; live?: LiveFinding }
  | { path: string; valid: false; message: string; issues: { path: string; message: string }[] };

export default trellisCommand({
  name: "verify",
  description:
    "Validate contract manifests or sources; exit 3 if any is invalid. --live also checks them against the deployment (exit 4 when not ready)",
  args: {
    files: { type: "positional", description: "Manifest .json or contract source .ts/.js files", required: true },
    export: { type: "string", description: "Export to read from a source module (default: default)" },
    json: { type: "boolean", description: "Print {results: [...]} as JSON" },
    live: {
      type: "boolean",
      description: "Also check through the session that a service's digest is active and that required uses resolve",
    },
  },
  run: async (args) => {
    const files = args._.length > 0 ? args._ : [args.files];
    const reports: VerifyReport[] = [];
    const valid: { report: VerifyReport & { valid: true }; manifest: NormalizedManifest }[] = [];
    // A file that could not be read at all (usage, exit 2) outranks an invalid one (exit 3).
    let status: ExitStatus = ExitCode.ok;
    for (const file of files) {
      const loaded = await readContractFile(file, args.export === undefined ? {} : { exportName: args.export });
      if (loaded.isOk()) {
        const { manifest, digest } = loaded.value;
        const report = { path: file, valid: true as const, id: manifest.id, kind: manifest.kind, digest };
        reports.push(report);
        valid.push({ report, manifest });
        if (!args.json) writeResult(`ok ${file} id=${manifest.id} kind=${manifest.kind} digest=${digest}`);
      } else {
        const { message, issues = [], exit } = loaded.error;
        reports.push({ path: file, valid: false, message, issues });
        if (!args.json) writeFailure(loaded.error, false);
        if (status === ExitCode.ok || exit === ExitCode.usage) status = exit;
      }
    }
    if (args.live === true && valid.length > 0) {
      const live = await withSession(async (session) => {
        const opened = await LiveCheck.open(
          session,
          valid.map((v) => v.manifest),
        );
        if (opened.isErr()) return err(opened.error);
        let liveStatus: ExitStatus = ExitCode.ok;
        for (const { report, manifest } of valid) {
          const finding = opened.value.check(manifest, report.digest);
          report.live = finding;
          if (notReady(finding)) liveStatus = ExitCode.staleOrNotReady;
          if (!args.json) writeResult(describeLive(report.path, finding));
        }
        return ok(liveStatus);
      });
      if (live.isErr()) return err(live.error);
      if (status === ExitCode.ok) status = live.value;
    }
    if (args.json) writeJson({ results: reports });
    return ok(status);
  },
});

function describeLive(path: string, finding: LiveFinding): string {
  const known =
    finding.known === "not-an-offer"
      ? "approved per session"
      : finding.known
        ? "active in the catalog"
        : "not active: no deployment has this digest approved";
  const lines = [`${notReady(finding) ? "not ready" : "live"} ${path}: ${known}`];
  for (const issue of finding.uses) lines.push(`  uses ${issue.path}: ${issue.message}`);
  return lines.join("\n");
}
