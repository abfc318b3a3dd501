import type { ArgsDef, CommandDef, CommandMeta, Resolvable, SubCommandsDef } from "citty";

async function resolve<T>(value: Resolvable<T> | undefined): Promise<T | undefined> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

export type ResolvedCommand = {
  name: string;
  meta: CommandMeta;
  args: ArgsDef;
  subCommands: SubCommandsDef;
  command: CommandDef;
};

export async function resolveCommand(name: string, command: CommandDef): Promise<ResolvedCommand> {
  return {
    name,
    meta: (await resolve(command.meta)) ?? {},
    args: (await resolve(command.args)) ?? {},
    subCommands: (await resolve(command.subCommands)) ?? {},
    command,
  };
}

export type FoundCommand = { command: CommandDef; parent: CommandDef | undefined; rest: string[] };

/**
 * The deepest command named by the leading words of `rawArgs`, its parent,
 * and the arguments left for it: `contracts verify x.json` → (verify,
 * contracts, [x.json]). Flags before or between command words are skipped.
 */
export async function findCommand(root: CommandDef, rawArgs: readonly string[]): Promise<FoundCommand> {
  let command = root;
  let parent: CommandDef | undefined;
  let consumed = 0;
  for (let i = 0; i < rawArgs.length; i++) {
    const word = rawArgs[i]!;
    if (word.startsWith("-")) continue;
    const subCommands = (await resolve(command.subCommands)) ?? {};
    const next = subCommands[word];
    if (next === undefined) break;
    parent = command;
    command = (await resolve(next)) as CommandDef;
    consumed = i + 1;
  }
  const rest = [...rawArgs.slice(0, consumed).filter((arg) => arg.startsWith("-")), ...rawArgs.slice(consumed)];
  return { command, parent, rest };
}

/** Visits every command depth-first; `path` excludes the root name. */
export async function walkCommands(
  root: CommandDef,
  visit: (path: string[], command: ResolvedCommand) => void,
  path: string[] = [],
): Promise<void> {
  const resolved = await resolveCommand(path.at(-1) ?? "trellis", root);
  visit(path, resolved);
  for (const [name, sub] of Object.entries(resolved.subCommands)) {
    const command = (await resolve(sub)) as CommandDef;
    await walkCommands(command, visit, [...path, name]);
  }
}
