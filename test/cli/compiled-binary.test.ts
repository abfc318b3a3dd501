import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";

// The shipped artifact: built once with scripts/build.ts, then used like a user would.
const dir = mkdtempSync(join(tmpdir(), "trellis-binary-"));
const binary = join(dir, "trellis");

beforeAll(() => {
  const build = Bun.spawnSync([process.execPath, "scripts/build.ts", "--outfile", binary], {
    cwd: REPO_ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the compiled trellis binary", () => {
  test("reports its commit and target", async () => {
    const run = await runTrellis(["version", "--json"], { binary });
    expect(run.exitCode).toBe(0);
    const info = JSON.parse(run.stdout) as { commit: string; target: string };
    expect(info.commit).not.toBe("dev");
    expect(info.target).toBe(`bun-${process.platform}-${process.arch}`);
  });

  test("loads a TypeScript contract source through itself acting as bun, from another directory", async () => {
    const fromSource = await runTrellis(["contracts", "digest", "examples/orders/contract.ts"]);
    const compiled = await runTrellis(["contracts", "digest", join(REPO_ROOT, "examples/orders/contract.ts")], {
      binary,
      cwd: dir,
    });
    expect(compiled.exitCode).toBe(0);
    expect(compiled.stdout).toBe(fromSource.stdout);
  });

  test("runs the conformance vectors", async () => {
    const run = await runTrellis(["conformance", "run", "--dir", join(REPO_ROOT, "conformance")], { binary, cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("0 failed");
  });
});
