import { pathToFileURL } from "node:url";
import { MODULE_LOADER_SCRIPT } from "../contract-files/module-loader-script.ts";
import { installEmbeddedRuntime } from "./embedded-runtime.ts";

/** The variables a parent sets to start this binary as an embedding host instead of the CLI. */
export const EMBED_ENV = {
  task: "TRELLIS_EMBEDDED_TASK",
  module: "TRELLIS_RUN_MODULE",
  args: "TRELLIS_RUN_ARGS",
} as const;

export type EmbeddedTask = "run" | "load-contract";

/**
 * A child of `trellis` that hosts user code with the runtime embedded:
 * `run` imports a service module (`trellis run`), `load-contract` runs the
 * contract loader (`trellis generate`'s child, when the project cannot
 * resolve the runtime itself). The markers are removed from the
 * environment first, so the module's own children start as plain programs.
 */
export async function runEmbeddedTask(task: string): Promise<void> {
  const module = process.env[EMBED_ENV.module];
  const args = parseArgs(process.env[EMBED_ENV.args]);
  for (const name of Object.values(EMBED_ENV)) delete process.env[name];
  installEmbeddedRuntime();
  if (task === "load-contract") {
    // The loader script is the one the plain-bun child runs; an async function body runs it unchanged.
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      body: string,
    ) => () => Promise<void>;
    await new AsyncFunction(MODULE_LOADER_SCRIPT)();
    return;
  }
  if (task === "run" && module !== undefined) {
    // The module sees itself as the program, with the arguments after `--`.
    process.argv = [process.argv[0] ?? "trellis", module, ...args];
    await import(pathToFileURL(module).href);
    return;
  }
  process.stderr.write(`trellis: unknown embedded task '${task}'\n`);
  process.exitCode = 1;
}

function parseArgs(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
