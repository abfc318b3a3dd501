#!/usr/bin/env bun
import { configureColor } from "./app/color.ts";

const rawArgs = process.argv.slice(2);
configureColor(rawArgs);
// Imported only after colour is decided (citty reads NO_COLOR at import).
const { runCli } = await import("./app/run-cli.ts");
const { rootCommand } = await import("./app/root-command.ts");
process.exitCode = await runCli(rootCommand(), rawArgs);
