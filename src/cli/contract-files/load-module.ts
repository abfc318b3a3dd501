import { dirname } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { invalidContract, type CliFailure } from "../app/cli-failure.ts";
import { selfCommand } from "../app/self-command.ts";
import { runtimeResolvable } from "../embed/runtime-resolvable.ts";
import { CONTRACT_MARKER, MODULE_LOADER_SCRIPT } from "./module-loader-script.ts";

const DEFAULT_TIMEOUT_MS = 30_000;

export type ModuleLoadOptions = {
  exportName?: string;
  /** The project root: the child's cwd, so its tsconfig, bunfig and node_modules apply. */
  cwd?: string;
  timeoutMs?: number;
  /** How failures name the source (default: `sourcePath`), e.g. a path relative to the working directory. */
  label?: string;
};

/**
 * Imports a contract source in a fresh child process of this same binary
 * (tooling.md §1 "Loading"): `BUN_BE_BUN=1` makes a compiled `trellis` act as
 * `bun`, so the project's own resolution rules apply and nothing the module
 * does at import time can touch this process.
 *
 * A project that cannot resolve `@trellis/runtime` itself (a user with only
 * the binary) is loaded by this CLI acting as an embedding host instead
 * (`embed/embedded-task.ts`): the same loader script, with the binary's own
 * runtime and valibot answering those imports.
 */
export async function loadContractModule(
  sourcePath: string,
  options: ModuleLoadOptions = {},
): Promise<Result<unknown, CliFailure>> {
  const timeoutMs = options.timeoutMs ?? (Number(process.env.TRELLIS_LOAD_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS);
  const bun = process.env.TRELLIS_BUN_BIN || process.execPath;
  const cwd = options.cwd ?? dirname(sourcePath);
  const embedded = !process.env.TRELLIS_BUN_BIN && !runtimeResolvable(dirname(sourcePath));
  const child = Bun.spawn(embedded ? selfCommand() : [bun, "-e", MODULE_LOADER_SCRIPT], {
    cwd,
    env: {
      ...process.env,
      ...(embedded ? { TRELLIS_EMBEDDED_TASK: "load-contract" } : { BUN_BE_BUN: "1" }),
      TRELLIS_CONTRACT_LOAD: "1",
      TRELLIS_LOAD_TIMEOUT_MS: String(timeoutMs),
      TRELLIS_LOAD_SOURCE: sourcePath,
      TRELLIS_LOAD_EXPORT: options.exportName ?? "default",
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const label = options.label ?? sourcePath;
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  clearTimeout(timer);

  if (child.signalCode === "SIGKILL") {
    return err(invalidContract(`${label}: loading did not finish within ${timeoutMs} ms (TRELLIS_LOAD_TIMEOUT_MS)`));
  }
  const markerAt = stdout.lastIndexOf(`\n${CONTRACT_MARKER}\n`);
  if (exitCode !== 0 || markerAt < 0) {
    const detail = stderr.trim() || `the loader exited with status ${exitCode}`;
    return err(invalidContract(`${label}: could not load the contract source\n${indent(detail)}`));
  }
  try {
    return ok(JSON.parse(stdout.slice(markerAt + CONTRACT_MARKER.length + 2)) as unknown);
  } catch (error) {
    return err(invalidContract(`${label}: the loader printed invalid JSON (${String(error)})`));
  }
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((line) => `  | ${line}`)
    .join("\n");
