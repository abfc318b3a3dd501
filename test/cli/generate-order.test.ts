import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";

/**
 * Order of a run (tooling.md §2 "Order"): by path, then topological. A
 * source that imports another contract's generated SDK loads after that SDK
 * is written; a failure skips its dependents; a cycle is an error.
 */

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A workspace whose tsconfig maps the runtime and `@trellis-sdk/*` to the generated packages. */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "trellis-order-"));
  dirs.push(dir);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  const runtime = relative(dir, join(REPO_ROOT, "src", "runtime", "index.ts"));
  const all = {
    "tsconfig.json": JSON.stringify({
      compilerOptions: {
        paths: { "@trellis/runtime": [runtime], "@trellis-sdk/*": ["./generated/packages/ts/*/index.ts"] },
      },
    }),
    ...files,
  };
  for (const [path, contents] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
  return dir;
}

const pkg = (name: string, extra: object = {}) => JSON.stringify({ name, version: "1.0.0", type: "module", ...extra });

const BASE = `import * as v from "valibot";
import { defineServiceContract } from "@trellis/runtime";
export default defineServiceContract({ schemas: { Ping: v.object({ text: v.string() }) } }, (ref) => ({
  id: "acme.base@v1", displayName: "Base", description: "The base service.",
  rpc: { "Base.Ping": { version: "v1", input: ref.schema("Ping"), output: ref.schema("Ping") } },
}));
`;

// "aaa" sorts before "zzz-base": by path alone it would load first and fail to import the SDK.
const APP = `import { defineAppContract } from "@trellis/runtime";
import base from "@trellis-sdk/acme-base";
export default defineAppContract(() => ({
  id: "acme.app@v1", displayName: "App", description: "Uses the base through its SDK.",
  uses: { required: { base: base.use({ rpc: { call: ["Base.Ping"] } }) } },
}));
`;

describe("topological order", () => {
  test("a source importing another contract's SDK loads after that SDK is generated (cold), and is fresh after", async () => {
    const dir = workspace({
      "package.json": pkg("ws", { workspaces: ["aaa", "zzz-base"] }),
      "aaa/package.json": pkg("aaa"),
      "aaa/contract.ts": APP,
      "zzz-base/package.json": pkg("base"),
      "zzz-base/contract.ts": BASE,
    });
    const cold = await runTrellis(["generate", "--json"], { cwd: dir });
    expect(cold.stderr).toBe("");
    expect(cold.exitCode).toBe(0);
    const report = JSON.parse(cold.stdout) as { results: { source: string; id: string; action: string }[] };
    expect(report.results.map((r) => [r.source, r.id, r.action])).toEqual([
      ["aaa/contract.ts", "acme.app@v1", "generated"],
      ["zzz-base/contract.ts", "acme.base@v1", "generated"],
    ]);
    const app = JSON.parse(readFileSync(join(dir, "generated/contracts/manifests/acme.app@v1.json"), "utf8"));
    expect(app.uses.required.base).toEqual({ contract: "acme.base@v1", rpc: { call: ["Base.Ping"] } });
    const used = readFileSync(join(dir, "generated/packages/ts/acme-app/api.ts"), "utf8");
    expect(used).toContain('"Base.Ping": {');

    const warm = await runTrellis(["generate"], { cwd: dir });
    expect(warm.stderr).toContain("0 generated, 0 verified, 2 fresh");
    expect((await runTrellis(["generate", "--check"], { cwd: dir })).exitCode).toBe(0);

    // A change to the base regenerates the base, then the app, whose USED_API follows.
    const source = join(dir, "zzz-base/contract.ts");
    writeFileSync(
      source,
      readFileSync(source, "utf8")
        .replace('"rpc.v1.Base.Ping"', '"rpc.v1.Base.Ping"')
        .replace('version: "v1", input', 'version: "v2", input'),
    );
    const changed = await runTrellis(["generate"], { cwd: dir });
    expect(changed.exitCode).toBe(0);
    expect(changed.stderr).toContain("2 generated");
    expect(readFileSync(join(dir, "generated/packages/ts/acme-app/api.ts"), "utf8")).toContain('"rpc.v2.Base.Ping"');
  });

  test("a failure skips its dependents and the exit is non-zero", async () => {
    const dir = workspace({
      "package.json": pkg("ws", { workspaces: ["aaa", "zzz-base"] }),
      "aaa/package.json": pkg("aaa"),
      "aaa/contract.ts": APP,
      "zzz-base/package.json": pkg("base"),
      "zzz-base/contract.ts": "throw new Error('base is broken');\n",
    });
    const result = await runTrellis(["generate", "--json"], { cwd: dir });
    expect(result.exitCode).toBe(3);
    const report = JSON.parse(result.stdout) as {
      results: { source: string; action: string; error?: { message: string } }[];
    };
    expect(report.results.map((r) => [r.source, r.action])).toEqual([
      ["aaa/contract.ts", "skipped"],
      ["zzz-base/contract.ts", "failed"],
    ]);
    expect(report.results[0]!.error!.message).toContain(
      "skipped: it imports '@trellis-sdk/acme-base', which no contract of this run produced, and zzz-base/contract.ts failed",
    );
    expect(report.results[1]!.error!.message).toContain("base is broken");
  });

  test("contracts whose uses point at each other are a cycle, reported for each", async () => {
    const manifest = (id: string, other: string) =>
      JSON.stringify({
        format: "trellis.contract.v1",
        id,
        displayName: id,
        description: "Part of a cycle.",
        kind: "service",
        schemas: { E: { type: "object" } },
        rpc: {
          [`${id.split(".")[1]!.split("@")[0]!.toUpperCase()}.Ping`]: {
            version: "v1",
            subject: `rpc.v1.${id.split(".")[1]!.split("@")[0]!.toUpperCase()}.Ping`,
            input: { schema: "E" },
            output: { schema: "E" },
          },
        },
        uses: {
          required: {
            other: { contract: other, rpc: { call: [`${other.split(".")[1]!.split("@")[0]!.toUpperCase()}.Ping`] } },
          },
        },
      });
    const dir = workspace({
      "package.json": pkg("cyclic", { trellis: { contracts: ["a.json", "b.json"] } }),
      "a.json": manifest("acme.a@v1", "acme.b@v1"),
      "b.json": manifest("acme.b@v1", "acme.a@v1"),
    });
    const result = await runTrellis(["generate"], { cwd: dir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("a.json: dependency cycle among acme.a@v1, acme.b@v1");
    expect(result.stderr).toContain("b.json: dependency cycle among acme.a@v1, acme.b@v1");
  });

  test("a dependency's manifest is found in an installed SDK package (package.json trellis.contractId)", async () => {
    const base = workspace({ "package.json": pkg("base"), "contract.ts": BASE });
    expect((await runTrellis(["generate"], { cwd: base })).exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(base, "generated/contracts/manifests/acme.base@v1.json"), "utf8"));
    const app = {
      format: "trellis.contract.v1",
      id: "acme.consumer@v1",
      displayName: "Consumer",
      description: "Uses the base, installed as a package.",
      kind: "app",
      uses: { required: { base: { contract: "acme.base@v1", rpc: { call: ["Base.Ping"] } } } },
    };
    const dir = mkdtempSync(join(tmpdir(), "trellis-installed-"));
    dirs.push(dir);
    writeFileSync(join(dir, "package.json"), pkg("consumer", { trellis: { contracts: ["consumer.json"] } }));
    writeFileSync(join(dir, "consumer.json"), JSON.stringify(app));
    const installed = join(dir, "node_modules", "@trellis-sdk", "acme-base");
    mkdirSync(installed, { recursive: true });
    for (const file of ["package.json", "contract.json"]) {
      writeFileSync(join(installed, file), readFileSync(join(base, "generated/packages/ts/acme-base", file)));
    }
    const result = await runTrellis(["generate"], { cwd: dir });
    expect(result.stderr).not.toContain("error");
    expect(result.exitCode).toBe(0);
    const api = readFileSync(join(dir, "generated/packages/ts/acme-consumer/api.ts"), "utf8");
    expect(api).toContain('contractId: "acme.base@v1"');
    expect(api).toContain(`subject: "${manifest.rpc["Base.Ping"].subject}"`);
  });

  test("a required dependency that is found nowhere is an error naming the use", async () => {
    const dir = workspace({
      "package.json": pkg("lonely"),
      "contract.ts": `import { defineAppContract } from "@trellis/runtime";
import base from "./base.ts";
export default defineAppContract(() => ({ id: "acme.lonely@v1", displayName: "L", description: "L.",
  uses: { required: { base: base.use({ rpc: { call: ["Base.Ping"] } }) } } }));
`,
      "base.ts": BASE,
    });
    const result = await runTrellis(["generate"], { cwd: dir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("cannot generate the SDK of acme.lonely@v1");
    expect(result.stderr).toContain("/uses/required/base/contract: required contract 'acme.base@v1' was not found");
  });
});
