import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { makeExampleTree, type ExampleTree } from "../codegen/support/example-tree.ts";
import { runTrellis } from "../support/cli.ts";

/**
 * `trellis generate` on copies of examples/ (a workspace of acme.orders@v1
 * and acme.orders-web@v1), run as a user would. Everything runs real child
 * processes; nothing is mocked.
 */

const trees: ExampleTree[] = [];
const tree = (prefix?: string) => {
  const made = makeExampleTree(prefix);
  trees.push(made);
  return made;
};
afterAll(() => trees.forEach((t) => t.remove()));

/** Every file under `dir` with its bytes, mtime and inode. */
function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number; ino: number }> {
  const files = new Map<string, { bytes: string; mtimeMs: number; ino: number }>();
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else files.set(relative(dir, path), { bytes: readFileSync(path, "utf8"), mtimeMs: stat.mtimeMs, ino: stat.ino });
    }
  };
  walk(dir);
  return files;
}

const EXPECTED_PACKAGE_FILES = [
  "README.md",
  "TRELLIS.md",
  "api.ts",
  "client.ts",
  "contract.json",
  "contract.ts",
  "index.ts",
  "owned_api.ts",
  "package.json",
  "schemas.ts",
  "types.ts",
];

describe("trellis generate on the examples", () => {
  const t = tree();

  test("generate writes manifests and SDKs; --check then exits 0; a second run writes nothing", async () => {
    const first = await t.generate();
    expect(first.stderr).toContain("2 generated, 0 verified, 0 fresh");
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain("ok generated acme.orders@v1 source=orders/contract.ts written=12");
    for (const pkg of ["acme-orders", "acme-orders-web"]) {
      expect(readdirSync(join(t.generated, "packages", "ts", pkg)).sort()).toEqual(EXPECTED_PACKAGE_FILES);
    }
    const manifest = readFileSync(join(t.generated, "contracts", "manifests", "acme.orders@v1.json"), "utf8");
    expect(manifest.endsWith("}\n")).toBe(true);
    expect(JSON.parse(manifest).id).toBe("acme.orders@v1");
    expect(readFileSync(join(t.generated, ".trellis-cache", ".gitignore"), "utf8")).toBe("*\n");

    const check = await t.generate(["--check"]);
    expect(check.stdout).toContain("ok up-to-date acme.orders@v1");
    expect(check.exitCode).toBe(0);

    const before = snapshot(t.generated);
    const second = await t.generate();
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain("ok fresh acme.orders@v1");
    expect(second.stderr).toContain("0 generated, 0 verified, 2 fresh");
    const after = snapshot(t.generated);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [path, file] of after) {
      expect({ path, mtimeMs: file.mtimeMs, ino: file.ino }).toEqual({ path, ...pick(before.get(path)!) });
    }
    // --force re-renders everything, but still writes only what changed: nothing.
    const forced = await t.generate(["--force"]);
    expect(forced.stderr).toContain("0 generated, 0 verified, 2 fresh");
    for (const [path, file] of snapshot(t.generated)) expect(file.mtimeMs).toBe(before.get(path)!.mtimeMs);
  });

  test("editing a contract makes --check exit 4 naming the stale files; generate brings it back", async () => {
    const source = join(t.examples, "orders", "contract.ts");
    const original = readFileSync(source, "utf8");
    writeFileSync(source, original.replace("Takes, tracks and fulfils customer orders.", "Takes and tracks orders."));
    const check = await t.generate(["--check"]);
    expect(check.exitCode).toBe(4);
    expect(check.stdout).toContain("stale generated/contracts/manifests/acme.orders@v1.json reason=changed");
    expect(check.stdout).toContain("stale generated/packages/ts/acme-orders/contract.ts reason=changed");
    expect(check.stdout).toContain("ok up-to-date acme.orders-web@v1");
    const json = await t.generate(["--check", "--json"]);
    expect(json.exitCode).toBe(4);
    const report = JSON.parse(json.stdout) as { stale: { path: string; reason: string }[] };
    expect(report.stale).toContainEqual({ path: "generated/packages/ts/acme-orders/package.json", reason: "changed" });

    const regenerated = await t.generate();
    expect(regenerated.exitCode).toBe(0);
    expect(regenerated.stdout).toMatch(/ok generated acme\.orders@v1 .* written=5/);
    expect(regenerated.stdout).toContain("ok fresh acme.orders-web@v1");
    expect((await t.generate(["--check"])).exitCode).toBe(0);
  });

  test("an orphan in a package directory is reported by --check and removed by generate", async () => {
    const orphan = join(t.generated, "packages", "ts", "acme-orders", "old.ts");
    writeFileSync(orphan, "export {};\n");
    const check = await t.generate(["--check"]);
    expect(check.exitCode).toBe(4);
    expect(check.stdout).toContain("stale generated/packages/ts/acme-orders/old.ts reason=orphan");
    // A deleted output is missing (and makes the stamp stale).
    const readme = join(t.generated, "packages", "ts", "acme-orders-web", "README.md");
    const readmeText = readFileSync(readme, "utf8");
    writeFileSync(readme, "edited\n");
    expect((await t.generate(["--check"])).stdout).toContain("acme-orders-web/README.md reason=changed");
    const fixed = await t.generate();
    expect(fixed.exitCode).toBe(0);
    expect(existsSync(orphan)).toBe(false);
    expect(readFileSync(readme, "utf8")).toBe(readmeText);
  });

  test("contracts list shows the plan: SOURCE, ID, KIND, ACTION, OUTPUTS", async () => {
    const list = await runTrellis(["contracts", "list"], { cwd: t.examples });
    expect(list.exitCode).toBe(0);
    const lines = list.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^SOURCE +ID +KIND +ACTION +OUTPUTS$/);
    expect(lines[1]).toMatch(
      /^orders-web\/contract\.ts +acme\.orders-web@v1 +app +fresh +generated\/contracts\/manifests\/acme\.orders-web@v1\.json, generated\/packages\/ts\/acme-orders-web$/,
    );
    expect(lines[2]).toMatch(/^orders\/contract\.ts +acme\.orders@v1 +service +fresh /);
  });

  test("a member generates only itself into the workspace's output root; JSON shape", async () => {
    const run = await t.generate(["orders", "--json", "--force"]);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as {
      results: { source: string; id: string; kind: string; action: string; package: string; outputs: string[] }[];
      summary: Record<string, number>;
    };
    expect(report.results.map((r) => [r.source, r.id, r.kind, r.package])).toEqual([
      ["orders/contract.ts", "acme.orders@v1", "service", "@trellis-sdk/acme-orders"],
    ]);
    expect(report.results[0]!.outputs).toContain("generated/contracts/manifests/acme.orders@v1.json");
    expect(report.summary.fresh).toBe(1);
  });
});

describe("determinism", () => {
  test("two copies in different directories, run from different working directories, give byte-identical trees", async () => {
    const a = tree("trellis-gen-a-");
    const b = tree("trellis-gen-b-");
    const [runA, runB] = await Promise.all([a.generate(), b.generate(["examples"], { cwd: b.dir })]);
    expect(runA.exitCode).toBe(0);
    expect(runB.exitCode).toBe(0);
    const left = snapshot(a.generated);
    const right = snapshot(b.generated);
    expect([...right.keys()]).toEqual([...left.keys()]);
    expect(left.size).toBeGreaterThan(24);
    for (const [path, file] of left)
      expect({ path, bytes: right.get(path)!.bytes }).toEqual({ path, bytes: file.bytes });
    for (const [path, file] of left) {
      expect(file.bytes).not.toContain(a.dir);
      expect(file.bytes.endsWith("\n")).toBe(true);
      expect(file.bytes.includes("\r")).toBe(false);
      if (path.endsWith(".ts"))
        expect(file.bytes.startsWith("// Generated by `trellis generate` from orders")).toBe(true);
    }
  });
});

describe("inputs, layouts and failures", () => {
  const scratch = tree("trellis-gen-cases-");
  const project = (name: string, files: Record<string, string>) => {
    const dir = join(scratch.dir, name);
    for (const [path, contents] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), contents);
    }
    return dir;
  };
  const run = (cwd: string, args: string[] = []) => scratch.generate(args, { cwd });
  const PKG = JSON.stringify({ name: "x", version: "2.0.0", type: "module" });
  const echo = (id: string) => `import * as v from "valibot";
import { defineServiceContract } from "@trellis/runtime";
export default defineServiceContract({ schemas: { Ping: v.object({ text: v.string() }) } }, (ref) => ({
  id: "${id}", displayName: "Echo", description: "Echoes.",
  rpc: { "Echo.Ping": { version: "v1", input: ref.schema("Ping"), output: ref.schema("Ping") } },
}));
`;

  test("no package.json at or above the path is a usage error", async () => {
    const result = await run("/");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("no package.json at or above it");
  });

  test("layout conflicts are errors", async () => {
    const both = project("both", {
      "package.json": PKG,
      "contract.ts": echo("a.one@v1"),
      "contract.js": "export default 1;\n",
    });
    expect((await run(both)).stderr).toContain("both contract.ts and contract.js exist");
    const mixed = project("mixed", {
      "package.json": PKG,
      "contract.ts": echo("a.one@v1"),
      "contracts/b.ts": echo("a.two@v1"),
    });
    const result = await run(mixed);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("contract.ts alongside a non-empty contracts/");
  });

  test("multi layout: direct children only, skipping .d.ts, tests, specs and _files; the version comes from package.json", async () => {
    const multi = project("multi", {
      "package.json": PKG,
      "contracts/echo.ts": echo("acme.echo@v1"),
      "contracts/_shared.ts": "throw new Error('not a contract');\n",
      "contracts/echo.test.ts": "throw new Error('not a contract');\n",
      "contracts/types.d.ts": "export {};\n",
      "contracts/nested/deep.ts": "throw new Error('not a contract');\n",
    });
    const result = await run(multi, ["--json"]);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { results: { source: string }[] };
    expect(report.results.map((r) => r.source)).toEqual(["contracts/echo.ts"]);
    const pkg = JSON.parse(readFileSync(join(multi, "generated/packages/ts/acme-echo/package.json"), "utf8"));
    expect(pkg.version).toBe("2.0.0");
    expect(pkg.trellis.contractId).toBe("acme.echo@v1");
  });

  test("package.json trellis config: out, sdk.prefix, sdk.names, sdk.targets; flags override it; bad config names the member", async () => {
    const configured = project("configured", {
      "package.json": JSON.stringify({
        name: "c",
        version: "1.2.3",
        trellis: { out: "out", sdk: { prefix: "@acme-sdk/", targets: ["ts"], names: { "acme.other@v1": "@x/other" } } },
      }),
      "contract.ts": echo("acme.echo@v1"),
    });
    expect((await run(configured)).exitCode).toBe(0);
    expect(existsSync(join(configured, "out/packages/ts/echo/package.json"))).toBe(false);
    expect(JSON.parse(readFileSync(join(configured, "out/packages/ts/acme-echo/package.json"), "utf8")).name).toBe(
      "@acme-sdk/acme-echo",
    );
    expect(existsSync(join(configured, "out/contracts"))).toBe(false); // targets: ts only
    const flagged = await run(configured, ["--targets", "manifest", "--out", "flag-out"]);
    expect(flagged.exitCode).toBe(0);
    expect(readdirSync(join(configured, "flag-out"))).toEqual([".trellis-cache", "contracts"]);

    const bad = project("bad-config", {
      "package.json": JSON.stringify({ name: "b", trellis: { sdk: { targets: "ts" } } }),
      "contract.ts": echo("acme.echo@v1"),
    });
    const failed = await run(bad);
    expect(failed.exitCode).toBe(2);
    expect(failed.stderr).toContain("/trellis/sdk/targets: must be a list");
    expect((await run(configured, ["--targets", "pdf"])).stderr).toContain("unknown target 'pdf'");
  });

  test("an invalid or throwing source exits 3 naming the source; --check too", async () => {
    const broken = project("broken", { "package.json": PKG, "contract.ts": "throw new Error('boom at import');\n" });
    const result = await run(broken);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("contract.ts: could not load the contract source");
    expect(result.stderr).toContain("boom at import");
    expect((await run(broken, ["--check"])).exitCode).toBe(3);
  });

  test("--manifest: a bare manifest needs --artifact-version; --out-manifest and --sdk-out place single outputs", async () => {
    const dir = join(scratch.dir, "bare");
    mkdirSync(dir, { recursive: true });
    const manifestPath = join(scratch.generated, "contracts", "manifests", "acme.orders@v1.json");
    await scratch.generate();
    writeFileSync(join(dir, "orders.json"), readFileSync(manifestPath));
    const bare = await run(dir, ["--manifest", "orders.json"]);
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toContain("needs --artifact-version");
    const placed = await run(dir, [
      "--manifest",
      "orders.json",
      "--artifact-version",
      "9.9.9",
      "--out-manifest",
      "m/orders.json",
      "--sdk-out",
      "sdk",
    ]);
    expect(placed.exitCode).toBe(0);
    expect(readFileSync(join(dir, "m/orders.json"), "utf8")).toBe(readFileSync(manifestPath, "utf8"));
    // The SDK from the manifest equals the one from the source, but for the cited input and version.
    const fromSource = readFileSync(join(scratch.generated, "packages/ts/acme-orders/schemas.ts"), "utf8");
    expect(readFileSync(join(dir, "sdk/schemas.ts"), "utf8")).toBe(
      fromSource.replace("from orders/contract.ts", "from orders.json"),
    );
    expect(JSON.parse(readFileSync(join(dir, "sdk/package.json"), "utf8")).version).toBe("9.9.9");
    const workspace = await scratch.generate(["--out-manifest", "x.json"]);
    expect(workspace.exitCode).toBe(2);
    expect(workspace.stderr).toContain("--out-manifest applies to a single input");
  });

  test("--source without a version warns and uses 0.0.0; --runtime-import and --package-name are applied", async () => {
    const dir = project("unversioned", {
      "package.json": JSON.stringify({ name: "u" }),
      "echo.ts": echo("acme.echo@v1"),
    });
    const result = await run(dir, [
      "--source",
      "echo.ts",
      "--runtime-import",
      "@acme/runtime",
      "--package-name",
      "@acme/echo-sdk",
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("warning: echo.ts: no version in package.json");
    const pkgDir = join(dir, "generated/packages/ts/echo-sdk");
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    expect([pkg.name, pkg.version, pkg.peerDependencies]).toEqual([
      "@acme/echo-sdk",
      "0.0.0",
      { "@acme/runtime": expect.any(String), valibot: expect.any(String) },
    ]);
    expect(readFileSync(join(pkgDir, "contract.ts"), "utf8")).toContain('from "@acme/runtime"');
  });
});

function pick(file: { mtimeMs: number; ino: number }): { mtimeMs: number; ino: number } {
  return { mtimeMs: file.mtimeMs, ino: file.ino };
}
