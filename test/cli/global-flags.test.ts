import { describe, expect, test } from "bun:test";
import { parseDuration, takeGlobalFlags } from "../../src/cli/app/global-flags.ts";
import { runTrellis } from "../support/cli.ts";

/** The global flags of tooling.md §3: taken out before any command sees its arguments. */
describe("global flags", () => {
  test("-v…-vvv and -q set the log level, --timeout the RPC timeout; the rest is left for the command", () => {
    const env: Record<string, string | undefined> = {};
    const args = takeGlobalFlags(["jobs", "-vv", "list", "--timeout", "2m", "--state", "failed", "--wide"], env);
    expect(args.orThrow()).toEqual(["jobs", "list", "--state", "failed"]);
    expect(env).toEqual({ TRELLIS_LOG: "debug", TRELLIS_RPC_TIMEOUT_MS: "120000" });
    const quiet: Record<string, string | undefined> = {};
    takeGlobalFlags(["-q", "svc", "list", "--timeout=500ms"], quiet).orThrow();
    expect(quiet).toEqual({ TRELLIS_LOG: "error", TRELLIS_RPC_TIMEOUT_MS: "500" });
  });

  test("--format json is --json, --format text the default, -V is version; after -- nothing is taken", () => {
    expect(takeGlobalFlags(["contracts", "digest", "f.json", "--format", "json"], {}).orThrow()).toEqual([
      "contracts",
      "digest",
      "f.json",
      "--json",
    ]);
    expect(takeGlobalFlags(["--format=text", "version"], {}).orThrow()).toEqual(["version"]);
    expect(takeGlobalFlags(["-V"], {}).orThrow()).toEqual(["version"]);
    expect(takeGlobalFlags(["run", "m.ts", "--", "-v", "--timeout", "x"], {}).orThrow()).toEqual([
      "run",
      "m.ts",
      "--",
      "-v",
      "--timeout",
      "x",
    ]);
  });

  test("bad values name the flag", () => {
    expect(takeGlobalFlags(["--timeout", "soon"], {}).isErr()).toBe(true);
    const format = takeGlobalFlags(["--format", "yaml"], {});
    expect(format.isErr() && format.error.message).toBe("--format must be text or json; got 'yaml'");
    expect([parseDuration("1.5s"), parseDuration("90"), parseDuration("0s"), parseDuration("-1s")]).toEqual([
      1500,
      90_000,
      undefined,
      undefined,
    ]);
  });

  test("as a process: -V prints the version, --format json gives JSON, a bad --timeout exits 2", async () => {
    const version = await runTrellis(["-V"]);
    expect([version.exitCode, version.stdout.startsWith("trellis ")]).toEqual([0, true]);
    const digest = await runTrellis(["contracts", "digest", "examples/orders/contract.ts", "--format", "json"]);
    expect(JSON.parse(digest.stdout)).toMatchObject({ id: "acme.orders@v1" });
    const bad = await runTrellis(["version", "--timeout", "soon", "--json"]);
    expect(bad.exitCode).toBe(2);
    expect(JSON.parse(bad.stderr).error.message).toContain("--timeout must be a duration");
  });
});
