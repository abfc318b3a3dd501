import { renderUsage, runCommand, type CommandDef } from "citty";
import { unexpectedFailure, usageFailure } from "./cli-failure.ts";
import { isTaggedOutcome, OUTCOME } from "./command.ts";
import { findCommand } from "./command-tree.ts";
import { ExitCode } from "./exit-codes.ts";
import { takeGlobalFlags } from "./global-flags.ts";
import { wantsJson, writeFailure, writeResult } from "./output.ts";

const isHelpFlag = (arg: string) => arg === "--help" || arg === "-h";

/**
 * Runs the command tree and maps every way out to an exit status: citty's
 * usage errors become 2 with the usage on stderr, a command's expected
 * failure is printed as text or JSON, and anything thrown is a bug (1).
 */
export async function runCli(root: CommandDef, givenArgs: string[]): Promise<number> {
  const taken = takeGlobalFlags(givenArgs);
  if (taken.isErr()) {
    writeFailure(taken.error, wantsJson(givenArgs));
    return ExitCode.usage;
  }
  const rawArgs = taken.value;
  const json = wantsJson(rawArgs);
  const found = await findCommand(root, rawArgs);
  if (rawArgs.some(isHelpFlag)) {
    writeResult(await renderUsage(found.command, found.parent));
    return ExitCode.ok;
  }
  try {
    // citty drops the results of subcommands, so the leaf is run directly.
    const { result } = await runCommand(found.command, { rawArgs: found.rest });
    if (!isTaggedOutcome(result)) return ExitCode.ok;
    return result[OUTCOME].match({
      ok: (status) => status,
      err: (failure) => {
        writeFailure(failure, json);
        return failure.exit;
      },
    });
  } catch (error) {
    if (error instanceof Error && error.name === "CLIError") {
      if (!json) process.stderr.write(`${await renderUsage(found.command, found.parent)}\n\n`);
      writeFailure(usageFailure(error.message.replace(/\x1b\[[0-9;]*m/g, ""), "run with --help for usage"), json);
      return ExitCode.usage;
    }
    const failure = unexpectedFailure(error instanceof Error ? error.message : String(error));
    writeFailure(failure, json);
    if (process.env.TRELLIS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return ExitCode.unexpected;
  }
}
