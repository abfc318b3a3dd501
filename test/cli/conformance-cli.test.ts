import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";

type Report = {
  suite: string;
  file: string;
  name: string;
  status: string;
  checks: { field: string; expected: string; actual: string }[];
};
type Output = { results: Report[]; summary: { passed: number; failed: number; notImplemented: number } };

const scratch = mkdtempSync(join(tmpdir(), "trellis-conformance-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of conformance/ in which `edit` changed one vector file. */
function alteredCopy(name: string, file: string, edit: (vectors: Record<string, any>[]) => void): string {
  const dir = join(scratch, name);
  cpSync(join(REPO_ROOT, "conformance"), dir, { recursive: true });
  const path = join(dir, file);
  const vectors = JSON.parse(readFileSync(path, "utf8")) as Record<string, any>[];
  edit(vectors);
  writeFileSync(path, JSON.stringify(vectors));
  return dir;
}

describe("trellis conformance run", () => {
  test("every canonical-json, contract-digest and auth-proof vector passes", async () => {
    const run = await runTrellis(["conformance", "run", "--json"]);
    expect(run.exitCode).toBe(0);
    const output = JSON.parse(run.stdout) as Output;
    const suites = new Set(output.results.filter((report) => report.status === "pass").map((report) => report.suite));
    expect(suites).toEqual(new Set(["auth-proof", "canonical-json", "contract-digest"]));
    expect(output.summary).toEqual({ passed: output.results.length, failed: 0, notImplemented: 0 });
    // The shared vectors plus the three Appendix A contracts of contracts.md.
    expect(output.results.filter((report) => report.suite === "contract-digest").length).toBeGreaterThanOrEqual(4);
    expect(output.results.filter((report) => report.suite === "canonical-json").length).toBeGreaterThanOrEqual(2);
  });

  test("an altered expected digest is reported as failed with expected and actual, exit 1", async () => {
    const dir = alteredCopy("digest", "contract-digest/vectors.json", (vectors) => {
      vectors[0]!.digest = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    });
    const run = await runTrellis(["conformance", "run", "--dir", dir, "--json"]);
    expect(run.exitCode).toBe(1);
    const failed = (JSON.parse(run.stdout) as Output).results.filter((report) => report.status === "fail");
    expect(failed.length).toBe(1);
    expect(failed[0]!.checks[0]).toEqual({
      field: "digest",
      expected: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      actual: "u7h2fJxPcd9HDsSh0GzM3zjFrfS8btaLSh1nx9JV-9s",
    });
  });

  test("an altered canonical form fails in text mode too, showing both values", async () => {
    const dir = alteredCopy("canonical", "canonical-json/vectors.json", (vectors) => {
      vectors[0]!.canonical = '{"b":1,"a":"x"}';
    });
    const run = await runTrellis(["conformance", "run", "--dir", dir]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("FAIL canonical");
    expect(run.stdout).toContain('expected: {"b":1,"a":"x"}');
    expect(run.stdout).toContain('actual:   {"a":"x","b":1}');
  });

  test("an altered auth-proof field fails both the reproduction and the verification", async () => {
    const dir = alteredCopy("auth", "auth-proof/vectors.json", (vectors) => {
      vectors[0]!.rpcProof.requestId = "req-proof-beta";
    });
    const run = await runTrellis(["conformance", "run", "--dir", dir, "--json"]);
    expect(run.exitCode).toBe(1);
    const failed = (JSON.parse(run.stdout) as Output).results.filter((report) => report.status === "fail");
    expect(failed.map((report) => report.name)).toEqual(["proof-layout-current"]);
    const failing = failed[0]!.checks.filter((check) => check.expected !== check.actual).map((check) => check.field);
    expect(failing).toEqual([
      "rpcProof.proofInputHex",
      "rpcProof.proofDigestBase64url",
      "rpcProof.proof",
      "verify rpcProof.proof",
    ]);
  });

  test("a vector file in an unknown folder fails rather than being skipped", async () => {
    const dir = alteredCopy("unknown", "canonical-json/vectors.json", () => {});
    cpSync(join(dir, "canonical-json"), join(dir, "canonical-jsn"), { recursive: true });
    const run = await runTrellis(["conformance", "run", "--dir", dir]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("no runner for folder 'canonical-jsn'");
  });

  test("a missing directory is a usage error", async () => {
    const run = await runTrellis(["conformance", "run", "--dir", join(scratch, "nope")]);
    expect(run.exitCode).toBe(2);
  });
});
