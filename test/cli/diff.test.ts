import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";

const ORDERS = "examples/orders/contract.ts";
const scratch = mkdtempSync(join(tmpdir(), "trellis-diff-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A copy of the orders example in a project of its own, with one textual
 * edit to its contract or schemas; returns the contract's path.
 */
function editedOrders(name: string, file: "contract.ts" | "schemas.ts", from: string, to: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  for (const source of ["contract.ts", "schemas.ts"])
    copyFileSync(join(REPO_ROOT, "examples/orders", source), join(dir, source));
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `@test/${name}`, type: "module" }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { paths: { "@trellis/runtime": [join(REPO_ROOT, "src/runtime/index.ts")] } } }),
  );
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  return join(dir, "contract.ts");
}

type DiffJson = {
  old: { id: string; digest: string };
  new: { id: string; digest: string };
  compatible: boolean;
  summary: { changes: number; callerBreaking: number; ownerBreaking: number };
  findings: {
    path: string;
    surface?: { kind: string; name: string };
    change: string;
    message: string;
    caller: string;
    owner: string;
  }[];
};

/** Orders whose `OrderRef.orderId` needs 3 characters instead of 1 (made once, shared). */
let stricter: string | undefined;
const stricterRef = () =>
  (stricter ??= editedOrders(
    "stricter-ref",
    "schemas.ts",
    "orderId: v.pipe(v.string(), v.minLength(1))",
    "orderId: v.pipe(v.string(), v.minLength(3))",
  ));

describe("trellis contracts diff", () => {
  test("the same contract: no changes, exit 0", async () => {
    const run = await runTrellis(["contracts", "diff", ORDERS, ORDERS]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("compatible: no changes (acme.orders@v1)\n");
  });

  test("a source and its own manifest compare equal", async () => {
    const manifest = join(scratch, "orders.json");
    writeFileSync(manifest, (await runTrellis(["contracts", "show", ORDERS, "--canonical"])).stdout);
    const run = await runTrellis(["contracts", "diff", manifest, ORDERS, "--json"]);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as DiffJson;
    expect(report.old.digest).toBe(report.new.digest);
    expect(report).toMatchObject({ compatible: true, findings: [], summary: { changes: 0 } });
  });

  test("a compatible change is listed and exits 0", async () => {
    const changed = editedOrders(
      "optional-watch",
      "schemas.ts",
      "v.object({ customerId: v.optional(v.string()) })",
      "v.object({ customerId: v.optional(v.string()), status: v.optional(OrderStatus) })",
    );
    const run = await runTrellis(["contracts", "diff", ORDERS, changed]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("feed Orders.Watch");
    expect(run.stdout).toContain("schema.optional-property-added");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("compatible: 1 change, none breaking (acme.orders@v1)");
  });

  test("a breaking change: a findings table, a summary line, exit 8", async () => {
    const run = await runTrellis(["contracts", "diff", ORDERS, stricterRef()]);
    expect(run.exitCode).toBe(8);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^SURFACE +CHANGE +CALLERS +OWNER +DETAIL$/);
    const rows = lines.filter((line) => line.includes("schema.bounds-narrowed"));
    // OrderRef is the input of Orders.Get, Orders.Pay and Orders.Fulfil.
    expect(rows.map((row) => row.split(/ {2,}/)[0])).toEqual([
      "rpc Orders.Get",
      "rpc Orders.Pay",
      "operation Orders.Fulfil",
    ]);
    for (const row of rows) expect(row).toMatch(/breaking +compatible +input: orderId: minLength 1 → 3/);
    expect(lines.some((line) => line.startsWith("contract ") && line.includes("contract.id-not-bumped"))).toBe(true);
    expect(lines.at(-1)).toBe("breaking: 4 changes, 4 break callers, 0 break the owner (acme.orders@v1)");
  });

  test("--json: ids, digests, the verdict, a summary and every finding", async () => {
    const run = await runTrellis(["contracts", "diff", ORDERS, stricterRef(), "--json"]);
    expect(run.exitCode).toBe(8);
    const report = JSON.parse(run.stdout) as DiffJson;
    expect(report.old.id).toBe("acme.orders@v1");
    expect(report.new.id).toBe("acme.orders@v1");
    expect(report.old.digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(report.new.digest).not.toBe(report.old.digest);
    expect(report.compatible).toBe(false);
    expect(report.summary).toEqual({ changes: 4, callerBreaking: 4, ownerBreaking: 0 });
    expect(report.findings).toContainEqual({
      path: "/rpc/Orders.Get/input",
      surface: { kind: "rpc", name: "Orders.Get" },
      change: "schema.bounds-narrowed",
      message: "input: orderId: minLength 1 → 3 (requests old callers send may be rejected)",
      caller: "breaking",
      owner: "compatible",
    });
  });

  test("owner-only breaks also exit 8", async () => {
    const changed = editedOrders("fewer-deliveries", "contract.ts", "maxDeliver: 4", "maxDeliver: 2");
    const run = await runTrellis(["contracts", "diff", ORDERS, changed, "--json"]);
    expect(run.exitCode).toBe(8);
    const report = JSON.parse(run.stdout) as DiffJson;
    expect(report.summary).toEqual({ changes: 1, callerBreaking: 0, ownerBreaking: 1 });
    expect(report.findings[0]).toMatchObject({
      path: "/jobs/invoice/maxDeliver",
      change: "job.max-deliver-lowered",
      owner: "breaking",
    });
  });

  test("an invalid input exits 3 and names it", async () => {
    const broken = join(scratch, "broken.json");
    writeFileSync(broken, JSON.stringify({ format: "trellis.contract.v1", id: "acme.orders@v1", kind: "service" }));
    const run = await runTrellis(["contracts", "diff", ORDERS, broken]);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${broken}: invalid contract`);
  });

  test("two different contracts exit 3", async () => {
    const text = await runTrellis(["contracts", "diff", ORDERS, "examples/orders-web/contract.ts"]);
    expect(text.exitCode).toBe(3);
    expect(text.stderr).toContain("different contracts");
    const json = await runTrellis(["contracts", "diff", ORDERS, "examples/orders-web/contract.ts", "--json"]);
    expect(json.exitCode).toBe(3);
    const { error } = JSON.parse(json.stderr) as { error: { code: string; exit: number } };
    expect(error).toMatchObject({ code: "different_contracts", exit: 3 });
  });

  test("a missing file or argument is a usage error", async () => {
    expect((await runTrellis(["contracts", "diff", ORDERS, join(scratch, "nope.json")])).exitCode).toBe(2);
    expect((await runTrellis(["contracts", "diff", ORDERS])).exitCode).toBe(2);
  });
});
