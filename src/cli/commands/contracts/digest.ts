import { isErr, ok } from "../../../contracts/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { readContractFile } from "../../contract-files/read-contract-file.ts";

export default trellisCommand({
  name: "digest",
  description: "Print the contract digest alone (JSON: {id, digest})",
  args: {
    file: { type: "positional", description: "Manifest .json or contract source .ts/.js", required: true },
    export: { type: "string", description: "Export to read from a source module (default: default)" },
    json: { type: "boolean", description: "Print {id, digest}" },
  },
  run: async (args) => {
    const loaded = (
      await readContractFile(args.file, args.export === undefined ? {} : { exportName: args.export })
    ).take();
    if (isErr(loaded)) return loaded;
    const { manifest, digest } = loaded;
    if (args.json) writeJson({ id: manifest.id, digest });
    else writeResult(digest);
    return ok(ExitCode.ok);
  },
});
