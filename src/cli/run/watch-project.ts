import { watch, type FSWatcher } from "node:fs";

/** Directories whose changes never restart a module: dependencies, outputs, tool state. */
const IGNORED = new Set(["node_modules", ".git", ".trellis", "generated", "dist", "build", ".worktrees"]);
const QUIET_MS = 250;

/**
 * `run --watch`: calls `onChange` once per batch of changes in `dir` (a
 * batch closes after 250 ms of quiet), ignoring the directories above.
 * `generate` writes into `generated/`, so a prepare step never triggers
 * itself.
 */
export function watchProject(dir: string, onChange: (paths: string[]) => void): FSWatcher {
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return watch(dir, { recursive: true }, (_event, name) => {
    if (name === null) return;
    const path = name.toString();
    if (path.split(/[\\/]/).some((part) => IGNORED.has(part))) return;
    pending.add(path);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      const batch = [...pending];
      pending = new Set();
      onChange(batch);
    }, QUIET_MS);
  });
}
