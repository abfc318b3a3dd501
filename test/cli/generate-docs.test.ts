import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderContractDocs } from "../../src/codegen/index.ts";
import { loadManifest } from "../../src/contracts/index.ts";
import { makeExampleTree } from "../codegen/support/example-tree.ts";

const tree = makeExampleTree("trellis-gen-docs-");
afterAll(() => tree.remove());
const docsDir = join(tree.generated, "docs");

describe("trellis generate --targets docs", () => {
  test("writes one Markdown reference per contract, the same as `contracts docs` renders", async () => {
    const run = await tree.generate(["--targets", "manifest,docs"]);
    expect(run.exitCode).toBe(0);
    expect(readdirSync(docsDir).sort()).toEqual(["acme.orders-web@v1.md", "acme.orders@v1.md"]);
    const manifestText = readFileSync(join(tree.generated, "contracts", "manifests", "acme.orders@v1.json"), "utf8");
    const loaded = loadManifest(JSON.parse(manifestText)).orThrow();
    expect(readFileSync(join(docsDir, "acme.orders@v1.md"), "utf8")).toBe(
      renderContractDocs(loaded.manifest, loaded.digest),
    );
    // No SDK packages: only the targets asked for.
    expect(existsSync(join(tree.generated, "packages"))).toBe(false);
  });

  test("--check covers the docs: a missing or edited page is stale (exit 4), nothing is written", async () => {
    expect((await tree.generate(["--targets", "manifest,docs", "--check"])).exitCode).toBe(0);
    const page = join(docsDir, "acme.orders@v1.md");
    writeFileSync(page, "edited by hand\n");
    const edited = await tree.generate(["--targets", "manifest,docs", "--check"]);
    expect(edited.exitCode).toBe(4);
    expect(edited.stdout).toContain(`stale ${join("generated", "docs", "acme.orders@v1.md")}`);
    expect(readFileSync(page, "utf8")).toBe("edited by hand\n");
    rmSync(page);
    const missing = await tree.generate(["--targets", "manifest,docs", "--check"]);
    expect(missing.exitCode).toBe(4);
    expect(missing.stdout).toContain("reason=missing");
    expect((await tree.generate(["--targets", "manifest,docs"])).exitCode).toBe(0);
    expect(existsSync(page)).toBe(true);
  });

  test("dropping the target prunes the pages", async () => {
    const run = await tree.generate(["--targets", "manifest"]);
    expect(run.exitCode).toBe(0);
    expect(existsSync(docsDir) ? readdirSync(docsDir) : []).toEqual([]);
  });
});
