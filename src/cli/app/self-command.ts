import { fileURLToPath } from "node:url";

/** A compiled `trellis` keeps its modules in an embedded file system (`$bunfs`, `~BUN` on Windows). */
export function isCompiledBinary(): boolean {
  return import.meta.url.includes("$bunfs") || import.meta.url.includes("~BUN");
}

/**
 * How to start this same CLI again as a child: the compiled binary alone,
 * or bun with this checkout's `src/cli/main.ts` (not `Bun.main`, which is
 * whatever script imported the CLI, a test say).
 */
export function selfCommand(): string[] {
  if (isCompiledBinary()) return [process.execPath];
  return [process.execPath, fileURLToPath(new URL("../main.ts", import.meta.url))];
}
