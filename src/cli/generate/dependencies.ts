import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { builtinManifests, loadManifest, type NormalizedManifest } from "../../contracts/index.ts";

/**
 * Where a contract's `uses` targets come from (tooling.md §2.2): manifests
 * of this run, then the output root's `contracts/manifests/`, then installed
 * packages whose `package.json` says `trellis.contractId`, then the CLI's
 * embedded built-ins (`trellis.*`).
 */
export type DependencyOrigin = "this run" | "output root" | "installed package" | "built-in";
export type FoundDependency = {
  readonly manifest: NormalizedManifest;
  readonly canonical: string;
  readonly origin: DependencyOrigin;
};

export class DependencyResolver {
  readonly #run = new Map<string, FoundDependency>();
  readonly #files = new Map<string, FoundDependency | undefined>();
  readonly #installed = new Map<string, Map<string, string>>();
  #builtins: Map<string, NormalizedManifest> | undefined;

  /** A manifest produced (or found fresh) in this run. */
  add(manifest: NormalizedManifest, canonical: string): void {
    this.#run.set(manifest.id, { manifest, canonical, origin: "this run" });
  }

  find(id: string, outRoot: string, projectDir: string): FoundDependency | undefined {
    return (
      this.#run.get(id) ??
      this.#file(join(outRoot, "contracts", "manifests", `${id}.json`), "output root") ??
      this.#installedPackage(id, projectDir) ??
      this.#builtin(id)
    );
  }

  #file(path: string, origin: DependencyOrigin): FoundDependency | undefined {
    if (this.#files.has(path)) return this.#files.get(path);
    let found: FoundDependency | undefined;
    if (existsSync(path)) {
      try {
        const loaded = loadManifest(JSON.parse(readFileSync(path, "utf8")) as unknown);
        if (loaded.isOk()) found = { manifest: loaded.value.manifest, canonical: loaded.value.canonical, origin };
      } catch {
        found = undefined; // an unreadable file is as good as none; the contract reports the missing dependency
      }
    }
    this.#files.set(path, found);
    return found;
  }

  /** `node_modules/*` and `node_modules/@scope/*` from the project up to the filesystem root. */
  #installedPackage(id: string, projectDir: string): FoundDependency | undefined {
    for (let dir = projectDir; ; dir = dirname(dir)) {
      const modules = join(dir, "node_modules");
      const byId = this.#installedIn(modules);
      const packageDir = byId.get(id);
      if (packageDir !== undefined) {
        const found = this.#file(join(packageDir, "contract.json"), "installed package");
        if (found !== undefined) return found;
      }
      if (dir === dirname(dir)) return undefined;
    }
  }

  #installedIn(modules: string): Map<string, string> {
    const cached = this.#installed.get(modules);
    if (cached !== undefined) return cached;
    const byId = new Map<string, string>();
    const visit = (packageDir: string) => {
      try {
        const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
          trellis?: { contractId?: unknown };
        };
        const id = pkg.trellis?.contractId;
        if (typeof id === "string" && !byId.has(id)) byId.set(id, packageDir);
      } catch {
        // not a package, or not ours
      }
    };
    if (existsSync(modules)) {
      for (const name of readdirSync(modules).sort()) {
        if (name.startsWith(".")) continue;
        if (name.startsWith("@")) {
          try {
            for (const scoped of readdirSync(join(modules, name)).sort()) visit(join(modules, name, scoped));
          } catch {
            // not a directory
          }
        } else visit(join(modules, name));
      }
    }
    this.#installed.set(modules, byId);
    return byId;
  }

  #builtin(id: string): FoundDependency | undefined {
    this.#builtins ??= new Map(builtinManifests().map((m) => [m.id, m]));
    const manifest = this.#builtins.get(id);
    if (manifest === undefined) return undefined;
    const loaded = loadManifest(JSON.parse(JSON.stringify(manifest)) as unknown).orThrow();
    return { manifest: loaded.manifest, canonical: loaded.canonical, origin: "built-in" };
  }
}
