import { err, isErr, ok, type ActiveEntry } from "../../../contracts/index.ts";
import { listFlag, trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { readContractFile } from "../../contract-files/read-contract-file.ts";
import { summarizeContract } from "../../inspect/contract-summary.ts";
import { derivePermissions } from "../../inspect/derive-permissions.ts";
import { renderSummary } from "../../inspect/render-summary.ts";

export default trellisCommand({
  name: "show",
  description: "Show a contract: summary, digest, surfaces, uses, resources and derived permission rules",
  args: {
    file: { type: "positional", description: "Manifest .json or contract source .ts/.js", required: true },
    uses: { type: "string", description: "Contracts it depends on, to resolve its uses (repeatable, comma-separated)" },
    export: { type: "string", description: "Export to read from a source module (default: default)" },
    json: { type: "boolean", description: "Print the summary, permissions and normalized manifest as JSON" },
    canonical: { type: "boolean", description: "Print the canonical bytes of the normalized manifest" },
  },
  run: async (args, { rawArgs }) => {
    const loaded = (
      await readContractFile(args.file, args.export === undefined ? {} : { exportName: args.export })
    ).take();
    if (isErr(loaded)) return loaded;
    if (args.canonical) {
      writeResult(loaded.canonical);
      return ok(ExitCode.ok);
    }
    const dependencies: ActiveEntry[] = [];
    for (const path of listFlag(rawArgs, "uses")) {
      const dependency = await readContractFile(path);
      if (dependency.isErr()) return err(dependency.error);
      dependencies.push({ digest: dependency.value.digest, manifest: dependency.value.manifest });
    }
    const summary = summarizeContract(loaded.manifest, loaded.digest);
    const permissions = derivePermissions(loaded.manifest, dependencies);
    if (args.json) writeJson({ ...summary, permissions, manifest: loaded.manifest });
    else writeResult(renderSummary(summary, permissions));
    return ok(ExitCode.ok);
  },
});
