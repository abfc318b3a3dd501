import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { resolveWithPaths } from "../generate/tsconfig-paths.ts";

/**
 * Whether code in `fromDir` can import `@trellis/runtime` on its own: an
 * installed package up the tree, or a tsconfig `paths` entry for it. When it
 * cannot, the CLI hosts the code itself with the runtime embedded rather
 * than let bun try (and fail) to fetch an unknown package.
 */
export function runtimeResolvable(fromDir: string): boolean {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", "@trellis", "runtime", "package.json"))) return true;
    if (dirname(dir) === dir) break;
  }
  return resolveWithPaths("@trellis/runtime", resolve(fromDir)) !== undefined;
}
