import { compareContracts, err, isErr, ok } from "../../../contracts/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { readContractFile } from "../../contract-files/read-contract-file.ts";
import { renderCompatibility } from "../../inspect/render-compatibility.ts";

export default trellisCommand({
  name: "diff",
  description: "Classify every change between two versions of a contract, for callers and for the owner",
  args: {
    old: {
      type: "positional",
      description: "The old version: manifest .json or contract source .ts/.js",
      required: true,
    },
    new: {
      type: "positional",
      description: "The new version: manifest .json or contract source .ts/.js",
      required: true,
    },
    json: { type: "boolean", description: "Print {old, new, compatible, summary, findings}" },
  },
  run: async (args) => {
    const before = (await readContractFile(args.old)).take();
    if (isErr(before)) return before;
    const after = (await readContractFile(args.new)).take();
    if (isErr(after)) return after;

    const report = compareContracts(before.manifest, after.manifest);
    if (!report.sameLineage) return err(differentContracts(args.old, before.manifest.id, args.new, after.manifest.id));

    if (args.json) {
      writeJson({
        old: { id: before.manifest.id, digest: before.digest },
        new: { id: after.manifest.id, digest: after.digest },
        compatible: report.compatible,
        summary: {
          changes: report.findings.length,
          callerBreaking: report.callerBreaking,
          ownerBreaking: report.ownerBreaking,
        },
        findings: report.findings,
      });
    } else {
      writeResult(renderCompatibility(report));
    }
    return ok(report.compatible ? ExitCode.ok : ExitCode.breaking);
  },
});

/** Two lineages are not two versions of one contract: nothing to classify (tooling.md §6: exit 3). */
function differentContracts(oldPath: string, oldId: string, newPath: string, newId: string): CliFailure {
  return {
    exit: ExitCode.invalidContract,
    code: "different_contracts",
    type: "ValidationError",
    message: `${oldPath} is '${oldId}' and ${newPath} is '${newId}': different contracts, not two versions of one`,
    hint: "contracts diff compares versions of one lineage (same name, any @vN)",
  };
}
