import type { CommandDef } from "citty";
import { walkCommands } from "../../app/command-tree.ts";

/** Every command path with the words that may follow it. */
export type CompletionEntry = { path: string[]; description: string; subcommands: string[]; flags: string[] };

export async function collectCompletions(root: CommandDef): Promise<CompletionEntry[]> {
  const entries: CompletionEntry[] = [];
  await walkCommands(root, (path, command) => {
    const flags = ["--help"];
    for (const [name, arg] of Object.entries(command.args)) {
      if (arg.type === "positional") continue;
      flags.push(`--${name}`);
      const alias = "alias" in arg ? arg.alias : undefined;
      const aliases = typeof alias === "string" ? [alias] : (alias ?? []);
      for (const alias of aliases) flags.push(alias.length === 1 ? `-${alias}` : `--${alias}`);
    }
    entries.push({
      path,
      description: command.meta.description ?? "",
      subcommands: Object.keys(command.subCommands),
      flags,
    });
  });
  return entries;
}
