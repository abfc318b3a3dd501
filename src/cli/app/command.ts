import { defineCommand, type ArgsDef, type CommandDef, type ParsedArgs, type SubCommandsDef } from "citty";
import type { Result } from "../../contracts/index.ts";
import type { CliFailure } from "./cli-failure.ts";
import type { ExitStatus } from "./exit-codes.ts";

/** What a command's action returns: its exit status, or an expected failure. */
export type CommandOutcome = Result<ExitStatus, CliFailure>;

/** Marks the result of a `trellisCommand` run so `run-cli` can tell it apart. */
export const OUTCOME = Symbol("trellis.outcome");
export type TaggedOutcome = { [OUTCOME]: CommandOutcome };

export function isTaggedOutcome(value: unknown): value is TaggedOutcome {
  return typeof value === "object" && value !== null && OUTCOME in value;
}

/** What an action sees besides its parsed arguments. */
export type CommandInvocation = {
  /** This command's own arguments, for flags that may repeat (`listFlag`). */
  rawArgs: readonly string[];
};

type TrellisCommandDef<T extends ArgsDef> = {
  name: string;
  description: string;
  args?: T;
  run: (args: ParsedArgs<T>, invocation: CommandInvocation) => Promise<CommandOutcome> | CommandOutcome;
};

/** A leaf command whose action returns a `CommandOutcome` instead of throwing. */
export function trellisCommand<const T extends ArgsDef>(def: TrellisCommandDef<T>): CommandDef<T> {
  return defineCommand<T>({
    meta: { name: def.name, description: def.description },
    ...(def.args === undefined ? {} : { args: def.args }),
    run: async ({ args, rawArgs }) => ({ [OUTCOME]: await def.run(args, { rawArgs }) }) satisfies TaggedOutcome,
  });
}

/** A command that only groups subcommands. */
export function commandGroup(name: string, description: string, subCommands: SubCommandsDef): CommandDef {
  return defineCommand({ meta: { name, description }, subCommands });
}

/**
 * Every value of a list flag, repeated (`--uses a --uses b`) or
 * comma-separated (`--uses a,b`), in order (tooling.md §0).
 */
export function listFlag(rawArgs: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === `--${name}` && i + 1 < rawArgs.length) values.push(rawArgs[++i]!);
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  return values.flatMap((value) => value.split(",")).filter((value) => value !== "");
}
