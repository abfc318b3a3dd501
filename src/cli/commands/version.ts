import { ok } from "../../contracts/index.ts";
import { trellisCommand } from "../app/command.ts";
import { buildInfo } from "../app/build-info.ts";
import { ExitCode } from "../app/exit-codes.ts";
import { writeJson, writeResult } from "../app/output.ts";

export default trellisCommand({
  name: "version",
  description: "Print the version, commit, Bun version and build target",
  args: { json: { type: "boolean", description: "Print {version, commit, bunVersion, target}" } },
  run: (args) => {
    const info = buildInfo();
    if (args.json) writeJson(info);
    else writeResult(`trellis ${info.version} (${info.commit}, bun ${info.bunVersion}, ${info.target})`);
    return ok(ExitCode.ok);
  },
});
