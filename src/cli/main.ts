#!/usr/bin/env bun
import { configureColor } from "./app/color.ts";

// No top-level await: the compiled binary is built with --bytecode, which needs it.
async function main(rawArgs: string[]): Promise<void> {
  // A child started by `trellis run` (or the contract loader) to host user code with the runtime embedded.
  const embedded = process.env.TRELLIS_EMBEDDED_TASK;
  if (embedded !== undefined && embedded !== "") {
    const { runEmbeddedTask } = await import("./embed/embedded-task.ts");
    return runEmbeddedTask(embedded);
  }
  configureColor(rawArgs);
  // Imported only after colour is decided (citty reads NO_COLOR at import).
  const { runCli } = await import("./app/run-cli.ts");
  const { rootCommand } = await import("./app/root-command.ts");
  process.exitCode = await runCli(rootCommand(), rawArgs);
}

void main(process.argv.slice(2));
