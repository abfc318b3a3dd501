import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * `compilerOptions.paths` of the nearest tsconfig.json, applied by hand. A
 * compiled `trellis` resolves only relative specifiers with `Bun.resolveSync`
 * (bare ones find neither node_modules nor tsconfig paths), so the source
 * scan maps path aliases itself — `@trellis-sdk/*` onto generated packages
 * above all. Packages from node_modules are not followed either way (the
 * lockfile stands for them).
 */
type PathsConfig = {
  readonly base: string;
  readonly paths: readonly (readonly [pattern: string, targets: readonly string[]])[];
};

const configs = new Map<string, PathsConfig | undefined>();
const EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".js", ".mjs", "/index.ts", "/index.js"];

export function resolveWithPaths(specifier: string, fromDir: string): string | undefined {
  const config = nearestPaths(fromDir);
  if (config === undefined) return undefined;
  for (const [pattern, targets] of config.paths) {
    const star = pattern.indexOf("*");
    let captured: string | undefined;
    if (star < 0) captured = pattern === specifier ? "" : undefined;
    else {
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      if (
        specifier.startsWith(prefix) &&
        specifier.endsWith(suffix) &&
        specifier.length >= prefix.length + suffix.length
      ) {
        captured = specifier.slice(prefix.length, specifier.length - suffix.length);
      }
    }
    if (captured === undefined) continue;
    for (const target of targets) {
      const path = resolve(config.base, target.replace("*", captured));
      for (const extension of EXTENSIONS) if (isFile(`${path}${extension}`)) return `${path}${extension}`;
    }
  }
  return undefined;
}

function nearestPaths(fromDir: string): PathsConfig | undefined {
  if (configs.has(fromDir)) return configs.get(fromDir);
  let found: PathsConfig | undefined;
  const file = join(fromDir, "tsconfig.json");
  if (existsSync(file)) found = readPaths(file);
  else if (dirname(fromDir) !== fromDir) found = nearestPaths(dirname(fromDir));
  configs.set(fromDir, found);
  return found;
}

function readPaths(file: string): PathsConfig | undefined {
  try {
    const parsed = Bun.JSONC.parse(readFileSync(file, "utf8")) as {
      compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> };
    };
    const options = parsed.compilerOptions ?? {};
    if (options.paths === undefined) return undefined;
    const base = resolve(dirname(file), options.baseUrl ?? ".");
    return { base, paths: Object.entries(options.paths) };
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Watch mode re-reads tsconfig files after they change. */
export function forgetTsconfigPaths(): void {
  configs.clear();
}
