import type { CommandDef } from "citty";
import { err, ok } from "../../../contracts/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeResult } from "../../app/output.ts";
import { collectCompletions } from "./completion-model.ts";
import { renderCompletion, SHELLS, type Shell } from "./render-completion.ts";

const isShell = (value: string): value is Shell => (SHELLS as readonly string[]).includes(value);

/** Built from the root so the scripts always list the commands that exist. */
export function completionCommand(root: () => Promise<CommandDef>) {
  return trellisCommand({
    name: "completion",
    description: "Print a shell completion script (bash, zsh or fish)",
    args: { shell: { type: "positional", description: "bash | zsh | fish", required: true } },
    run: async (args) => {
      if (!isShell(args.shell))
        return err(usageFailure(`unknown shell '${args.shell}': expected one of ${SHELLS.join(", ")}`));
      writeResult(renderCompletion(args.shell, await collectCompletions(await root())));
      return ok(ExitCode.ok);
    },
  });
}
