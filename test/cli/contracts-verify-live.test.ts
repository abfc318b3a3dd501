import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { defineAppContract, defineServiceContract } from "../../src/contracts/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService } from "../server/admin-helpers.ts";

/**
 * `trellis contracts verify --live` (tooling.md §3.2): beyond validation, a
 * service's digest must be active in the deployment's catalog and every
 * contract's required `uses` must resolve against the active contracts;
 * otherwise exit 4, naming what is missing.
 */
const Empty = v.object({});
const ledger = (methods: readonly string[]) =>
  defineServiceContract({ schemas: { Empty } }, (ref) => ({
    id: "test.ledger@v1",
    displayName: "Ledger",
    description: "Keeps accounts.",
    rpc: Object.fromEntries(
      methods.map((m) => [m, { version: "v1", input: ref.schema("Empty"), output: ref.schema("Empty") }]),
    ),
  }));
const approved = ledger(["Ledger.Balance"]);
const unapproved = ledger(["Ledger.Balance", "Ledger.Close"]);
const app = (method: string) =>
  defineAppContract(() => ({
    id: "test.ledger-app@v1",
    displayName: "Ledger app",
    description: "Reads balances.",
    uses: { required: { ledger: unapproved.use({ rpc: { call: [method as "Ledger.Balance"] } }) } },
  }));

let stack: LocalStack;
let dir: string;
const file = (name: string, manifest: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(manifest));
  return path;
};

beforeAll(async () => {
  stack = await startLocalStack();
  dir = mkdtempSync(join(tmpdir(), "trellis-verify-live-"));
  await approveService(stack, "ledger", approved.CONTRACT);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("contracts verify --live", () => {
  test("an approved service and an app whose uses resolve are live (exit 0)", async () => {
    const run = await stack.cli([
      "contracts",
      "verify",
      "--live",
      file("approved.json", approved.CONTRACT),
      file("app-ok.json", app("Ledger.Balance").CONTRACT),
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`live ${join(dir, "approved.json")}: active in the catalog`);
    expect(run.stdout).toContain(`live ${join(dir, "app-ok.json")}: approved per session`);
  });

  test("a digest nobody approved, and a use of a method no active digest has, are not ready (exit 4)", async () => {
    const run = await stack.cli([
      "contracts",
      "verify",
      "--live",
      "--json",
      file("unapproved.json", unapproved.CONTRACT),
      file("app-missing.json", app("Ledger.Close").CONTRACT),
    ]);
    expect(run.exitCode).toBe(4);
    const { results } = JSON.parse(run.stdout) as {
      results: { path: string; live: { known: boolean | string; uses: { path: string; message: string }[] } }[];
    };
    expect(results[0]!.live).toEqual({ known: false, uses: [] });
    expect(results[1]!.live.known).toBe("not-an-offer");
    expect(results[1]!.live.uses.length).toBeGreaterThan(0);
    expect(JSON.stringify(results[1]!.live.uses)).toContain("Ledger.Close");
  });

  test("without --live nothing is asked of the deployment: the same files are just valid", async () => {
    const run = await stack.cli(["contracts", "verify", file("unapproved2.json", unapproved.CONTRACT)]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toContain("not ready");
  });
});
