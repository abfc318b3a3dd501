import { existsSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { err, ok, type Result } from "../../../contracts/index.ts";
import { packageOfSpecifier } from "../../../codegen/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { resolveWithPaths } from "../tsconfig-paths.ts";

/**
 * What tsc compiles a generated SDK against (design/codegen.md "Target npm"):
 * the runtime import resolved as the project's own code resolves it — the
 * nearest tsconfig.json's `paths` entry first (TypeScript and Bun apply it
 * before node_modules; this repository maps `@trellis/runtime` to
 * `src/runtime/index.ts`), else the package installed in `node_modules` from
 * the project up (the built package's `.d.ts`). Then `valibot`, and
 * `@types/node` when present (a runtime given as TypeScript source needs
 * Node's typings), each installed for the project, else next to the runtime.
 */
export type RuntimeTypes =
  /** A tsconfig `paths` target: a file (TypeScript source or declarations) outside any package. */
  | { readonly kind: "paths"; readonly packageName: string; readonly subpath: string; readonly file: string }
  /** An installed package directory (real path). */
  | { readonly kind: "installed"; readonly packageName: string; readonly dir: string };

export type CompileInputs = {
  readonly runtime: RuntimeTypes;
  /** The real directory of the `valibot` package. */
  readonly valibot: string;
  /** The real directory of `@types/node`, if found. */
  readonly typesNode: string | undefined;
};

export function compileInputs(runtimeImport: string, projectDir: string): Result<CompileInputs, CliFailure> {
  const packageName = packageOfSpecifier(runtimeImport);
  if (packageName === undefined) {
    return err({
      exit: ExitCode.usage,
      code: "usage",
      message: `target npm needs a package as the runtime import, not the path '${runtimeImport}'`,
      hint: "leave --runtime-import at @trellis/runtime, or name the package that provides the runtime",
    });
  }
  let runtime: RuntimeTypes | undefined;
  const mapped = resolveWithPaths(runtimeImport, resolve(projectDir));
  if (mapped !== undefined) {
    runtime = {
      kind: "paths",
      packageName,
      subpath: runtimeImport.slice(packageName.length),
      file: realpathSync(mapped),
    };
  } else {
    const dir = installedPackage(packageName, projectDir);
    if (dir !== undefined) runtime = { kind: "installed", packageName, dir };
  }
  if (runtime === undefined) {
    return err({
      exit: ExitCode.unexpected,
      code: "runtime_types_not_found",
      message: `target npm compiles the SDK against '${runtimeImport}', which ${projectDir} does not resolve (no tsconfig.json paths entry, not installed in node_modules)`,
      hint: `install it (npm install ${packageName}), or map it in tsconfig.json compilerOptions.paths`,
    });
  }
  const runtimeDir = runtime.kind === "installed" ? runtime.dir : dirname(runtime.file);
  const valibot = installedPackage("valibot", projectDir) ?? installedPackage("valibot", runtimeDir);
  if (valibot === undefined) {
    return err({
      exit: ExitCode.unexpected,
      code: "valibot_not_found",
      message: `target npm compiles the SDK against valibot, which is installed neither for ${projectDir} nor for the runtime`,
      hint: "install valibot (a peer dependency of every generated SDK): npm install valibot",
    });
  }
  const typesNode = installedPackage("@types/node", projectDir) ?? installedPackage("@types/node", runtimeDir);
  return ok({ runtime, valibot, typesNode });
}

/** `node_modules/<name>` from `fromDir` up to the filesystem root, as a real path. */
function installedPackage(name: string, fromDir: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}
