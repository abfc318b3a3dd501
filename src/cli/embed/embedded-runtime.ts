import { dirname } from "node:path";
import * as valibot from "valibot";
import * as runtime from "../../runtime/index.ts";
import { isCompiledBinary } from "../app/self-command.ts";
import { resolveWithPaths } from "../generate/tsconfig-paths.ts";

/** The bare imports the binary answers itself: the runtime, and the valibot instance it validates with. */
export const EMBEDDED_MODULES = ["@trellis/runtime", "valibot"] as const;

/**
 * Makes `@trellis/runtime` (and `valibot`) importable in this process
 * without installing them (issue 5 §8, tooling.md §3.5 `run`): a Bun
 * runtime plugin answers those specifiers with the modules this binary was
 * built with, so a user's service gets the binary's own runtime instance
 * (one copy of every class, `instanceof` holds). A compiled binary resolves
 * no tsconfig `paths` for files it loads from disk, so those are mapped here
 * too (`@trellis-sdk/*` onto generated packages, as `trellis generate` does).
 */
export function installEmbeddedRuntime(): void {
  const exports: Record<(typeof EMBEDDED_MODULES)[number], Record<string, unknown>> = {
    "@trellis/runtime": runtime,
    valibot,
  };
  Bun.plugin({
    name: "trellis-embedded-runtime",
    setup(build) {
      for (const name of EMBEDDED_MODULES) build.module(name, () => ({ exports: exports[name], loader: "object" }));
      if (!isCompiledBinary()) return;
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if ((EMBEDDED_MODULES as readonly string[]).includes(args.path) || args.path.startsWith("node:")) return;
        const mapped = resolveWithPaths(args.path, dirname(args.importer));
        return mapped === undefined ? undefined : { path: mapped };
      });
    },
  });
}
