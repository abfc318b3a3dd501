import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { usageFailure, type CliFailure } from "../app/cli-failure.ts";
import { readPackageInfo, type PackageInfo } from "./package-config.ts";

/**
 * Contract discovery (tooling.md §1): a project is the nearest directory at
 * or above the path with a `package.json`, using exactly one layout — a root
 * `contract.ts|js`, or `contracts/*.ts|js` (direct children; `*.d.ts`,
 * `*.test.*`, `*.spec.*` and `_*` skipped) — unless `trellis.contracts`
 * lists the sources. A `package.json` with `workspaces` is a root that plans
 * every member; a member plans only itself.
 */

export type Project = {
  readonly dir: string;
  readonly pkg: PackageInfo;
  /** The workspace root holding this project (itself for a root), if any. */
  readonly workspace: PackageInfo | undefined;
  /** Contract sources; `.json` files listed in `trellis.contracts` are manifests. */
  readonly sources: readonly string[];
};

export type Discovery = {
  readonly projects: readonly Project[];
  /** The directory source paths are cited relative to: the workspace root, else the project. */
  readonly root: string;
  /** Whether this covers everything that writes into the root's output (a root or a lone project). */
  readonly complete: boolean;
};

/** Never scanned for members or watched. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  "node_modules",
  "generated",
  "dist",
  "build",
  ".git",
  ".worktrees",
]);

export function discoverProjects(path: string): Result<Discovery, CliFailure> {
  const start = resolve(path);
  if (!existsSync(start)) return err(usageFailure(`${path}: no such directory`));
  if (!statSync(start).isDirectory()) {
    return err(
      usageFailure(
        `${path}: not a directory`,
        "use --source <file> for a contract source, --manifest <file> for a manifest",
      ),
    );
  }
  const projectDir = nearestPackageDir(start);
  if (projectDir === undefined) {
    return err(
      usageFailure(`${path}: no package.json at or above it`, "a Trellis project is a directory with a package.json"),
    );
  }
  const read = readPackageInfo(projectDir);
  if (read.isErr()) return err(read.error);
  const pkg = read.value!;

  if (pkg.workspaces !== undefined) {
    const projects: Project[] = [];
    const rootSources = discoverSources(pkg);
    if (rootSources.isErr()) return err(rootSources.error);
    if (rootSources.value.length > 0) projects.push({ dir: pkg.dir, pkg, workspace: pkg, sources: rootSources.value });
    const members = workspaceMembers(pkg);
    for (const dir of members) {
      const member = readPackageInfo(dir);
      if (member.isErr()) return err(member.error);
      if (member.value === undefined) continue;
      const sources = discoverSources(member.value);
      if (sources.isErr()) return err(sources.error);
      projects.push({ dir, pkg: member.value, workspace: pkg, sources: sources.value });
    }
    return ok({ projects, root: pkg.dir, complete: true });
  }

  const workspace = enclosingWorkspace(projectDir);
  if (workspace !== undefined && workspace.isErr()) return err(workspace.error);
  const sources = discoverSources(pkg);
  if (sources.isErr()) return err(sources.error);
  const root = workspace?.value?.dir ?? projectDir;
  return ok({
    projects: [{ dir: projectDir, pkg, workspace: workspace?.value, sources: sources.value }],
    root,
    complete: workspace?.value === undefined,
  });
}

export function nearestPackageDir(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dir === dirname(dir)) return undefined;
  }
}

/** The workspace root above `projectDir` whose member patterns include it. */
export function enclosingWorkspace(projectDir: string): Result<PackageInfo | undefined, CliFailure> | undefined {
  for (let dir = dirname(projectDir); dir !== dirname(dir); dir = dirname(dir)) {
    const read = readPackageInfo(dir);
    if (read.isErr()) return err(read.error);
    const pkg = read.value;
    if (pkg?.workspaces === undefined) continue;
    const rel = toPosix(relative(dir, projectDir));
    const included = pkg.workspaces.filter((p) => !p.startsWith("!")).some((p) => globMatch(p, rel));
    const excluded = pkg.workspaces.filter((p) => p.startsWith("!")).some((p) => globMatch(p.slice(1), rel));
    if (included && !excluded) return ok(pkg);
  }
  return undefined;
}

/** Member directories of a workspace root, sorted, skipping the usual build and dependency folders. */
export function workspaceMembers(root: PackageInfo): string[] {
  const members = new Set<string>();
  for (const pattern of root.workspaces ?? []) {
    if (pattern.startsWith("!")) continue;
    const glob = new Bun.Glob(`${stripSlash(pattern)}/package.json`);
    for (const match of glob.scanSync({ cwd: root.dir, onlyFiles: true, dot: false })) {
      const dir = dirname(match);
      if (dir.split(/[\\/]/).some((part) => SKIPPED_DIRS.has(part))) continue;
      const rel = toPosix(dir);
      if (root.workspaces!.some((p) => p.startsWith("!") && globMatch(p.slice(1), rel))) continue;
      if (rel !== "." && rel !== "") members.add(resolve(root.dir, dir));
    }
  }
  return [...members].sort();
}

const SOURCE = /\.(ts|js)$/;
const SKIPPED_SOURCE = /(\.d\.ts|\.test\.(ts|js)|\.spec\.(ts|js))$/;

/** The contract sources of one project, sorted; layout conflicts are errors. */
export function discoverSources(pkg: PackageInfo): Result<string[], CliFailure> {
  const { dir } = pkg;
  if (pkg.config.contracts !== undefined) {
    const sources: string[] = [];
    for (const entry of pkg.config.contracts) {
      if (/[*?[{]/.test(entry)) {
        for (const match of new Bun.Glob(entry).scanSync({ cwd: dir, onlyFiles: true }))
          sources.push(resolve(dir, match));
      } else {
        const path = resolve(dir, entry);
        if (!existsSync(path)) return err(usageFailure(`${pkg.path}: /trellis/contracts: ${entry}: no such file`));
        sources.push(path);
      }
    }
    return ok([...new Set(sources)].sort());
  }
  const single = ["contract.ts", "contract.js"].filter((name) => isFile(join(dir, name)));
  if (single.length === 2) {
    return err(usageFailure(`${dir}: both contract.ts and contract.js exist`, "keep one of them"));
  }
  const multiDir = join(dir, "contracts");
  const multi = isDirectory(multiDir)
    ? readdirSync(multiDir)
        .filter((name) => SOURCE.test(name) && !SKIPPED_SOURCE.test(name) && !name.startsWith("_"))
        .filter((name) => isFile(join(multiDir, name)))
        .sort()
    : [];
  const stems = new Map<string, string>();
  for (const name of multi) {
    const stem = name.replace(SOURCE, "");
    if (stems.has(stem)) {
      return err(usageFailure(`${multiDir}: both ${stems.get(stem)} and ${name} exist`, "keep one of them"));
    }
    stems.set(stem, name);
  }
  if (single.length > 0 && multi.length > 0) {
    return err(
      usageFailure(
        `${dir}: ${single[0]} alongside a non-empty contracts/`,
        "a project uses one layout: a root contract.ts, or contracts/*.ts",
      ),
    );
  }
  return ok(single.length > 0 ? [join(dir, single[0]!)] : multi.map((name) => join(multiDir, name)));
}

function globMatch(pattern: string, path: string): boolean {
  return new Bun.Glob(stripSlash(pattern)).match(path);
}

function stripSlash(pattern: string): string {
  return pattern.replace(/^\.\//, "").replace(/\/+$/, "");
}

export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
