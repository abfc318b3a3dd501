import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { renderContractDocs } from "../../../codegen/index.ts";
import { err, isErr, ok } from "../../../contracts/index.ts";
import { unexpectedFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeResult } from "../../app/output.ts";
import { readContractFile } from "../../contract-files/read-contract-file.ts";

export default trellisCommand({
  name: "docs",
  description: "Print a contract's Markdown reference (surfaces, subjects, capabilities, errors, schemas as tables)",
  args: {
    file: { type: "positional", description: "Manifest .json or contract source .ts/.js", required: true },
    out: { type: "string", description: "Write the Markdown to this file instead of stdout" },
    export: { type: "string", description: "Export to read from a source module (default: default)" },
  },
  run: async (args) => {
    const loaded = (
      await readContractFile(args.file, args.export === undefined ? {} : { exportName: args.export })
    ).take();
    if (isErr(loaded)) return loaded;
    const markdown = renderContractDocs(loaded.manifest, loaded.digest);
    if (args.out === undefined) {
      process.stdout.write(markdown);
      return ok(ExitCode.ok);
    }
    const target = resolve(args.out);
    try {
      mkdirSync(dirname(target), { recursive: true });
      // Temp file then rename: a reader never sees half a file.
      const temp = `${target}.${process.pid}.tmp`;
      writeFileSync(temp, markdown);
      renameSync(temp, target);
    } catch (error) {
      return err(
        unexpectedFailure(`${args.out}: cannot write (${error instanceof Error ? error.message : String(error)})`),
      );
    }
    writeResult(`ok ${args.out} id=${loaded.manifest.id}`);
    return ok(ExitCode.ok);
  },
});
