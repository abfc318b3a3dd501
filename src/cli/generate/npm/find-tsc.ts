import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { err, ok, type Result } from "../../../contracts/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { ExitCode } from "../../app/exit-codes.ts";

/**
 * The TypeScript compiler of the `npm` target (tooling.md §2.1): the
 * project's `node_modules/.bin/tsc` (from the project directory up, as npm
 * installs it in a workspace root too), then `tsc` on `PATH`, then
 * `TRELLIS_TSC_BIN`. Its version (`tsc --version`) goes into the stamps:
 * another compiler may emit other bytes.
 */
export type Tsc = { readonly path: string; readonly version: string };

/** `versions`: `tsc --version` by path, shared by the lookups of one run. */
export async function findTsc(
  projectDir: string,
  versions: Map<string, Promise<string | undefined>> = new Map(),
): Promise<Result<Tsc, CliFailure>> {
  const candidates = tscCandidates(projectDir);
  for (const path of candidates) {
    const version = await tscVersion(path, versions);
    if (version !== undefined) return ok({ path, version });
  }
  const configured = process.env.TRELLIS_TSC_BIN;
  return err({
    exit: ExitCode.unexpected,
    code: "tsc_not_found",
    message:
      `target npm needs tsc (TypeScript) and found none: not in node_modules/.bin above ${projectDir}, not on PATH` +
      (configured ? `, and TRELLIS_TSC_BIN=${configured} does not run` : ", and TRELLIS_TSC_BIN is not set"),
    hint: "install typescript in the project (npm install -D typescript), or set TRELLIS_TSC_BIN to a tsc",
  });
}

function tscCandidates(projectDir: string): string[] {
  const found: string[] = [];
  for (let dir = resolve(projectDir); ; dir = dirname(dir)) {
    const bin = join(dir, "node_modules", ".bin", "tsc");
    if (isFile(bin)) {
      found.push(bin);
      break;
    }
    if (dirname(dir) === dir) break;
  }
  const onPath = Bun.which("tsc");
  if (onPath !== null) found.push(onPath);
  const configured = process.env.TRELLIS_TSC_BIN;
  if (configured) found.push(resolve(configured));
  return found;
}

/** `tsc --version` (`Version 7.0.2`), or `undefined` when the file does not run as a tsc. */
function tscVersion(path: string, versions: Map<string, Promise<string | undefined>>): Promise<string | undefined> {
  let known = versions.get(path);
  if (known === undefined) {
    known = (async () => {
      if (!isFile(path)) return undefined;
      try {
        const child = Bun.spawn([path, "--version"], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
        const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
        const version = out.trim();
        return code === 0 && /^Version \S+$/.test(version) ? version : undefined;
      } catch {
        return undefined;
      }
    })();
    versions.set(path, known);
  }
  return known;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
