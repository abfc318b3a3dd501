import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dir, "..", "..");
const MAIN = join(REPO_ROOT, "src", "cli", "main.ts");

export type CliRun = { exitCode: number; stdout: string; stderr: string };

/** Runs `bun src/cli/main.ts ...args`, which behaves exactly like the built binary. */
export async function runTrellis(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; binary?: string } = {},
): Promise<CliRun> {
  const command = options.binary === undefined ? [process.execPath, MAIN, ...args] : [options.binary, ...args];
  const child = Bun.spawn(command, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, stdout, stderr };
}
