import { existsSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { usageFailure, type CliFailure } from "../app/cli-failure.ts";

/** Whether this process is the compiled `trellis` (its modules live in Bun's embedded file system). */
export const runningCompiled = (): boolean => Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN/");

/**
 * The file `upgrade install` replaces: `process.execPath` in the compiled
 * binary. From source, execPath is bun itself, so it is refused unless
 * `TRELLIS_UPGRADE_TARGET` names a file (for tests and rehearsals). Symlinks
 * are resolved so the real file is replaced, not the link.
 */
export function upgradeTarget(env: NodeJS.ProcessEnv = process.env): Result<string, CliFailure> {
  const override = env.TRELLIS_UPGRADE_TARGET;
  if (override !== undefined && override !== "") {
    const path = resolve(override);
    if (!existsSync(path) || !statSync(path).isFile()) {
      return err(usageFailure(`TRELLIS_UPGRADE_TARGET: expected an existing file, got '${override}'`));
    }
    return ok(realpathSync(path));
  }
  if (!runningCompiled()) {
    return err(
      usageFailure(
        `upgrade install replaces the trellis executable, but this trellis runs from source (${process.execPath} is bun)`,
        "update the checkout instead, or run an installed trellis binary",
      ),
    );
  }
  return ok(realpathSync(process.execPath));
}
