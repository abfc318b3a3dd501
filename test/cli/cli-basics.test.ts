import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { runTrellis } from "../support/cli.ts";

describe("trellis version", () => {
  test("text names the version and bun", async () => {
    const run = await runTrellis(["version"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toStartWith(`trellis ${pkg.version} (`);
    expect(run.stdout).toContain(`bun ${Bun.version}`);
  });

  test("--json has exactly version, commit, bunVersion, target", async () => {
    const run = await runTrellis(["version", "--json"]);
    expect(run.exitCode).toBe(0);
    const info = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(info)).toEqual(["version", "commit", "bunVersion", "target"]);
    expect(info.version).toBe(pkg.version);
    expect(info.target).toBe(`bun-${process.platform}-${process.arch}`);
  });
});

describe("usage", () => {
  test("--help lists the command families on stdout and exits 0", async () => {
    const run = await runTrellis(["--help"]);
    expect(run.exitCode).toBe(0);
    for (const family of ["version", "completion", "contracts", "conformance"]) expect(run.stdout).toContain(family);
  });

  test("every leaf command has --help", async () => {
    for (const path of [
      ["contracts", "verify"],
      ["contracts", "digest"],
      ["contracts", "show"],
      ["conformance", "run"],
      ["completion"],
    ]) {
      const run = await runTrellis([...path, "--help"]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain("USAGE");
    }
  });

  test("an unknown command exits 2 with usage on stderr and nothing on stdout", async () => {
    const run = await runTrellis(["contracts", "frobnicate"]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Unknown command frobnicate");
    expect(run.stderr).toContain("USAGE");
  });

  test("a missing argument exits 2; with --json the error is one JSON line on stderr", async () => {
    const run = await runTrellis(["contracts", "digest", "--json"]);
    expect(run.exitCode).toBe(2);
    const error = JSON.parse(run.stderr.trim()) as { error: { code: string; exit: number; message: string } };
    expect(error.error.code).toBe("usage");
    expect(error.error.exit).toBe(2);
    expect(error.error.message).toContain("FILE");
  });
});

describe("trellis completion", () => {
  test("bash script is valid bash and knows nested commands", async () => {
    const run = await runTrellis(["completion", "bash"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('"contracts verify")');
    const dir = mkdtempSync(join(tmpdir(), "trellis-completion-"));
    const script = join(dir, "trellis.bash");
    writeFileSync(script, run.stdout);
    const syntax = Bun.spawnSync(["bash", "-n", script]);
    expect(syntax.exitCode).toBe(0);
    // Completing `trellis contracts ve` offers `verify`.
    const probe = Bun.spawnSync([
      "bash",
      "-c",
      `source ${script}; COMP_WORDS=(trellis contracts ve); COMP_CWORD=2; _trellis; echo "\${COMPREPLY[@]}"`,
    ]);
    expect(probe.stdout.toString().trim()).toBe("verify");
  });

  test("zsh and fish scripts name every family", async () => {
    for (const shell of ["zsh", "fish"]) {
      const run = await runTrellis(["completion", shell]);
      expect(run.exitCode).toBe(0);
      for (const family of ["contracts", "conformance", "version"]) expect(run.stdout).toContain(family);
    }
  });

  test("an unknown shell is a usage error", async () => {
    const run = await runTrellis(["completion", "tcsh"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("unknown shell 'tcsh'");
  });
});
