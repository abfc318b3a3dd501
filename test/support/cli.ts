import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository: the nearest directory above this file with src/cli/main.ts (this file may run compiled, from dist/). */
function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "src", "cli", "main.ts"))) return dir;
    if (dir === dirname(dir)) throw new Error("test/support/cli.ts: no src/cli/main.ts above this file");
  }
}

export const REPO_ROOT = repoRoot();
const MAIN = join(REPO_ROOT, "src", "cli", "main.ts");

export type CliRun = { exitCode: number; stdout: string; stderr: string };

/**
 * Runs `bun src/cli/main.ts ...args`, which behaves exactly like the built binary.
 * Under Node.js (the runtime suite) the CLI still runs on the `bun` found on PATH.
 */
export function runTrellis(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; binary?: string } = {},
): Promise<CliRun> {
  const bun = process.versions.bun === undefined ? "bun" : process.execPath;
  const [command, ...rest] = options.binary === undefined ? [bun, MAIN, ...args] : [options.binary, ...args];
  const child = spawn(command!, rest, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    // "close" (not "exit"): both pipes are drained by then.
    child.once("close", (code, signal) =>
      resolve({
        exitCode: code ?? 128 + (signal === null ? 0 : constants.signals[signal]),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      }),
    );
  });
}
