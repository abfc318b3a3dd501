import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { unexpectedFailure, type CliFailure } from "../app/cli-failure.ts";

/**
 * Replaces `target` with `data` atomically (tooling.md §3.7): a temp file in
 * the same directory (so the rename stays on one file system), flushed,
 * chmod 755, then renamed over the target. A running process keeps its old
 * inode, and a failure at any step leaves the target as it was.
 */
export function replaceExecutable(target: string, data: Uint8Array): Result<void, CliFailure> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.upgrade-${process.pid}-${randomBytes(4).toString("hex")}`);
  let step = `create ${temp}`;
  try {
    // "wx": never follow or reuse a file someone placed at this name.
    const fd = openSync(temp, "wx", 0o700);
    try {
      step = `write ${temp}`;
      for (let offset = 0; offset < data.length;) offset += writeSync(fd, data, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    step = `chmod 755 ${temp}`;
    // Explicit: the mode given to open is masked by the umask.
    chmodSync(temp, 0o755);
    step = `rename ${temp} to ${target}`;
    renameSync(temp, target);
    return ok();
  } catch (cause) {
    rmSync(temp, { force: true });
    const reason = cause instanceof Error ? cause.message : String(cause);
    return err({
      ...unexpectedFailure(`could not ${step}: ${reason}; ${target} is unchanged`),
      code: "replace_failed",
      hint: `the directory ${dir} must be writable by this user`,
    });
  }
}
