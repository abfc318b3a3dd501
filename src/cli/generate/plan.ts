import { existsSync, statSync } from "node:fs";
import { dirname, extname, relative, resolve } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { packageOfSpecifier, type PackageNaming } from "../../codegen/index.ts";
import { usageFailure, type CliFailure } from "../app/cli-failure.ts";
import { discoverProjects, enclosingWorkspace, nearestPackageDir, toPosix } from "./discover.ts";
import { readPackageInfo, type PackageInfo } from "./package-config.ts";

/**
 * The plan of one `trellis generate` run: every input with the options that
 * apply to it (output root, targets, package naming, version), in path
 * order. Flags override the `package.json` `"trellis"` config, a member's
 * config overrides its workspace root's (tooling.md §1, §2).
 */

export type Target = "manifest" | "ts" | "npm" | "docs";
export const TARGETS: readonly Target[] = ["manifest", "ts", "npm", "docs"];
/** Service and app contracts without `--targets`/`sdk.targets`. */
export const DEFAULT_TARGETS: readonly Target[] = ["manifest", "ts"];
export const DEFAULT_RUNTIME_IMPORT = "@trellis/runtime";

export type GenerateOptions = {
  readonly cwd: string;
  readonly path?: string | undefined;
  readonly source?: string | undefined;
  readonly manifest?: string | undefined;
  readonly out?: string | undefined;
  readonly outManifest?: string | undefined;
  readonly sdkOut?: string | undefined;
  readonly targets?: readonly string[] | undefined;
  readonly prefix?: string | undefined;
  readonly packageName?: string | undefined;
  readonly artifactVersion?: string | undefined;
  readonly exportName?: string | undefined;
  readonly runtimeImport?: string | undefined;
};

export type PlanEntry = {
  /** Position in path order. */
  readonly index: number;
  readonly input: "source" | "manifest";
  readonly file: string;
  /** The file relative to the working directory, for messages. */
  readonly display: string;
  /** The file relative to the owning root, POSIX, cited in generated headers. */
  readonly label: string;
  readonly projectDir: string;
  readonly root: string;
  readonly outRoot: string;
  /** `undefined`: the defaults of the contract's kind. */
  readonly targets: readonly Target[] | undefined;
  readonly naming: PackageNaming;
  readonly packageName: string | undefined;
  readonly manifestOut: string | undefined;
  readonly sdkOut: string | undefined;
  /** `--artifact-version`, else the owning package.json; `undefined` means 0.0.0 with a warning. */
  readonly version: string | undefined;
  readonly exportName: string | undefined;
  readonly runtimeImport: string;
  /** Files besides the sources whose contents decide the output (package.json, tsconfig, lockfile). */
  readonly contextFiles: readonly string[];
};

export type Plan = {
  readonly entries: readonly PlanEntry[];
  /** Output roots this run covers completely: stale manifests there may be pruned. */
  readonly completeRoots: ReadonlySet<string>;
  /** The directory `--watch` watches. */
  readonly watchRoot: string;
  readonly cwd: string;
};

export function buildPlan(options: GenerateOptions): Result<Plan, CliFailure> {
  const forms = [options.source, options.manifest, options.path].filter((f) => f !== undefined).length;
  if (forms > 1) return err(usageFailure("give one of <path>, --source <file> or --manifest <file>"));
  const targets = parseTargets(options.targets);
  if (targets.isErr()) return err(targets.error);
  const cwd = options.cwd;

  type Raw = {
    input: PlanEntry["input"];
    file: string;
    pkg: PackageInfo | undefined;
    workspace: PackageInfo | undefined;
    root: string;
  };
  const raws: Raw[] = [];
  let complete = false;
  let watchRoot: string;
  const single = options.source ?? options.manifest;
  if (single !== undefined) {
    const file = resolve(cwd, single);
    if (!existsSync(file) || !statSync(file).isFile()) return err(usageFailure(`${single}: no such file`));
    const input = options.manifest !== undefined ? "manifest" : "source";
    if (input === "manifest" && extname(file).toLowerCase() !== ".json") {
      return err(usageFailure(`${single}: --manifest takes a manifest .json file`));
    }
    const projectDir = nearestPackageDir(dirname(file));
    let pkg: PackageInfo | undefined;
    let workspace: PackageInfo | undefined;
    if (projectDir !== undefined) {
      const read = readPackageInfo(projectDir);
      if (read.isErr()) return err(read.error);
      pkg = read.value;
      const ws = pkg?.workspaces !== undefined ? ok(pkg) : enclosingWorkspace(projectDir);
      if (ws !== undefined) {
        if (ws.isErr()) return err(ws.error);
        workspace = ws.value;
      }
    }
    const root = workspace?.dir ?? pkg?.dir ?? dirname(file);
    raws.push({ input, file, pkg, workspace, root });
    watchRoot = root;
  } else {
    const discovery = discoverProjects(resolve(cwd, options.path ?? "."));
    if (discovery.isErr()) return err(discovery.error);
    for (const project of discovery.value.projects) {
      for (const file of project.sources) {
        const input = extname(file).toLowerCase() === ".json" ? "manifest" : "source";
        raws.push({ input, file, pkg: project.pkg, workspace: project.workspace, root: discovery.value.root });
      }
    }
    if (raws.length === 0) {
      return err(
        usageFailure(
          `${options.path ?? "."}: no contract sources found`,
          "add contract.ts (or contracts/*.ts), list them in package.json trellis.contracts, or use --source/--manifest",
        ),
      );
    }
    complete = discovery.value.complete;
    watchRoot = discovery.value.root;
  }
  raws.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  if (raws.length > 1) {
    for (const [flag, value] of [
      ["--out-manifest", options.outManifest],
      ["--sdk-out", options.sdkOut],
      ["--package-name", options.packageName],
    ] as const) {
      if (value !== undefined)
        return err(usageFailure(`${flag} applies to a single input, and ${raws.length} were found`));
    }
  }

  const entries: PlanEntry[] = [];
  for (const [index, raw] of raws.entries()) {
    const { pkg, workspace, root } = raw;
    const config = pkg?.config;
    const rootConfig = workspace !== undefined && workspace !== pkg ? workspace.config : undefined;
    const outRoot =
      options.out !== undefined
        ? resolve(cwd, options.out)
        : config?.out !== undefined
          ? resolve(pkg!.dir, config.out)
          : rootConfig?.out !== undefined
            ? resolve(workspace!.dir, rootConfig.out)
            : resolve(workspace?.dir ?? pkg?.dir ?? root, "generated");
    const configTargets = config?.sdk.targets ?? rootConfig?.sdk.targets;
    let entryTargets = targets.value;
    if (entryTargets === undefined && configTargets !== undefined) {
      const parsed = parseTargets(
        configTargets,
        `${(config?.sdk.targets !== undefined ? pkg : workspace)!.path}: /trellis/sdk/targets`,
      );
      if (parsed.isErr()) return err(parsed.error);
      entryTargets = parsed.value;
    }
    const names = { ...(rootConfig?.sdk.names ?? {}), ...(config?.sdk.names ?? {}) };
    const prefix = options.prefix ?? config?.sdk.prefix ?? rootConfig?.sdk.prefix;
    const version = options.artifactVersion ?? pkg?.version;
    if (raw.input === "manifest" && version === undefined) {
      return err(
        usageFailure(
          `${relative(cwd, raw.file) || raw.file}: a manifest outside a package.json with a version needs --artifact-version`,
        ),
      );
    }
    const projectDir = pkg?.dir ?? dirname(raw.file);
    const runtimeImport = options.runtimeImport ?? DEFAULT_RUNTIME_IMPORT;
    if (entryTargets?.includes("npm")) {
      if (packageOfSpecifier(runtimeImport) === undefined) {
        return err(
          usageFailure(
            `--runtime-import ${runtimeImport}: target npm needs a package name (an installed SDK cannot import a path)`,
          ),
        );
      }
      if (options.sdkOut !== undefined && entryTargets.includes("ts")) {
        return err(
          usageFailure("--sdk-out names one package directory: give it with target ts or target npm, not both"),
        );
      }
    }
    entries.push({
      index,
      input: raw.input,
      file: raw.file,
      display: toPosix(relative(cwd, raw.file)) || raw.file,
      label: toPosix(relative(root, raw.file)),
      projectDir,
      root,
      outRoot,
      targets: entryTargets,
      naming: { ...(prefix === undefined ? {} : { prefix }), names },
      packageName: options.packageName,
      manifestOut: options.outManifest === undefined ? undefined : resolve(cwd, options.outManifest),
      sdkOut: options.sdkOut === undefined ? undefined : resolve(cwd, options.sdkOut),
      version,
      exportName: options.exportName,
      runtimeImport,
      contextFiles: contextFiles(projectDir, workspace?.dir),
    });
  }
  const completeRoots = new Set(complete && options.out === undefined ? entries.map((e) => e.outRoot) : []);
  return ok({ entries, completeRoots, watchRoot, cwd });
}

const CONTEXT_NAMES = [
  "package.json",
  "tsconfig.json",
  "bunfig.toml",
  "bun.lock",
  "bun.lockb",
  "package-lock.json",
  "yarn.lock",
  "pnpm-lock.yaml",
];

/** Project and workspace files that change what a source evaluates to; their contents go into cache stamps. */
function contextFiles(projectDir: string, workspaceDir: string | undefined): string[] {
  const dirs = [...new Set([projectDir, ...(workspaceDir === undefined ? [] : [workspaceDir])])];
  return dirs.flatMap((dir) => CONTEXT_NAMES.map((name) => resolve(dir, name)));
}

function parseTargets(
  values: readonly string[] | undefined,
  where = "--targets",
): Result<Target[] | undefined, CliFailure> {
  if (values === undefined) return ok(undefined);
  const targets: Target[] = [];
  for (const value of values) {
    if (!(TARGETS as readonly string[]).includes(value)) {
      return err(usageFailure(`${where}: unknown target '${value}'`, `targets are ${TARGETS.join(", ")}`));
    }
    if (!targets.includes(value as Target)) targets.push(value as Target);
  }
  return ok(targets);
}
