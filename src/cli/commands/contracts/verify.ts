import { ok } from "../../../contracts/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode, type ExitStatus } from "../../app/exit-codes.ts";
import { writeFailure, writeJson, writeResult } from "../../app/output.ts";
import { readContractFile } from "../../contract-files/read-contract-file.ts";

type VerifyReport =
  | { path: string; valid: true; id: string; kind: string; digest: string }
  | { path: string; valid: false; message: string; issues: { path: string; message: string }[] };

export default trellisCommand({
  name: "verify",
  description: "Validate contract manifests or sources; exit 3 if any is invalid",
  args: {
    files: { type: "positional", description: "Manifest .json or contract source .ts/.js files", required: true },
    export: { type: "string", description: "Export to read from a source module (default: default)" },
    json: { type: "boolean", description: "Print {results: [...]} as JSON" },
  },
  run: async (args) => {
    const files = args._.length > 0 ? args._ : [args.files];
    const reports: VerifyReport[] = [];
    // A file that could not be read at all (usage, exit 2) outranks an invalid one (exit 3).
    let status: ExitStatus = ExitCode.ok;
    for (const file of files) {
      const loaded = await readContractFile(file, args.export === undefined ? {} : { exportName: args.export });
      if (loaded.isOk()) {
        const { manifest, digest } = loaded.value;
        reports.push({ path: file, valid: true, id: manifest.id, kind: manifest.kind, digest });
        if (!args.json) writeResult(`ok ${file} id=${manifest.id} kind=${manifest.kind} digest=${digest}`);
      } else {
        const { message, issues = [], exit } = loaded.error;
        reports.push({ path: file, valid: false, message, issues });
        if (!args.json) writeFailure(loaded.error, false);
        if (status === ExitCode.ok || exit === ExitCode.usage) status = exit;
      }
    }
    if (args.json) writeJson({ results: reports });
    return ok(status);
  },
});
