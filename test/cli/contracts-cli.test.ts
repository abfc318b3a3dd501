import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTrellis } from "../support/cli.ts";

const scratch = mkdtempSync(join(tmpdir(), "trellis-contracts-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeScratch(name: string, content: string | object): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

const ORDERS = "examples/orders/contract.ts";
const ORDERS_WEB = "examples/orders-web/contract.ts";

/** Five independent problems, each at its own JSON pointer. */
const malformed = {
  format: "trellis.contract.v1",
  id: "broken@v1",
  displayName: "Broken",
  description: "Many problems.",
  kind: "servce",
  schemas: { In: { type: "object" } },
  rpc: {
    "Broken.Get": {
      version: "1",
      subject: "rpc.v1.Broken.Get",
      input: { schema: "In" },
      output: { schema: "Missing" },
    },
  },
  events: { "Broken.Changed": { version: "v1", subject: "events.v1.Broken.{/id", event: { schema: "In" } } },
  jobs: { work: { payload: { schema: "In" }, maxDeliver: 0 } },
};

describe("trellis contracts verify", () => {
  test("a malformed manifest prints every problem with its JSON pointer and exits 3", async () => {
    const run = await runTrellis(["contracts", "verify", writeScratch("malformed.json", malformed)]);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe("");
    for (const pointer of [
      "/kind",
      "/rpc/Broken.Get/version",
      "/rpc/Broken.Get/output/schema",
      "/events/Broken.Changed/subject",
      "/jobs/work/maxDeliver",
    ]) {
      expect(run.stderr).toContain(`  ${pointer}: `);
    }
  });

  test("--json reports each file; invalid ones carry their issues", async () => {
    const bad = writeScratch("malformed2.json", malformed);
    const run = await runTrellis(["contracts", "verify", ORDERS, bad, "--json"]);
    expect(run.exitCode).toBe(3);
    const { results } = JSON.parse(run.stdout) as {
      results: (
        | { path: string; valid: true; id: string; digest: string }
        | { path: string; valid: false; issues: { path: string }[] }
      )[];
    };
    expect(results.map((result) => result.valid)).toEqual([true, false]);
    const invalid = results[1]!;
    expect(invalid.valid).toBe(false);
    if (!invalid.valid) expect(invalid.issues.map((issue) => issue.path)).toContain("/rpc/Broken.Get/output/schema");
  });

  test("valid sources and manifests pass with exit 0", async () => {
    const run = await runTrellis(["contracts", "verify", ORDERS, ORDERS_WEB]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("ok examples/orders/contract.ts id=acme.orders@v1 kind=service digest=");
    expect(run.stdout).toContain("id=acme.orders-web@v1 kind=app");
  });

  test("input that is not JSON, a missing file and an unknown extension are clear errors", async () => {
    const notJson = await runTrellis(["contracts", "verify", writeScratch("broken.json", "{ nope")]);
    expect(notJson.exitCode).toBe(3);
    expect(notJson.stderr).toContain("not valid JSON");
    const missing = await runTrellis(["contracts", "verify", join(scratch, "absent.json")]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("no such file");
    const yaml = await runTrellis(["contracts", "verify", writeScratch("contract.yaml", "id: x")]);
    expect(yaml.exitCode).toBe(2);
    expect(yaml.stderr).toContain("expected a manifest (.json) or a contract source");
  });
});

describe("loading contract sources", () => {
  test("a source that throws at import shows its stderr under the source path", async () => {
    const source = writeScratch("throws.ts", 'throw new Error("boom at import");\n');
    const run = await runTrellis(["contracts", "verify", source]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`${source}: could not load the contract source`);
    expect(run.stderr).toContain("boom at import");
  });

  test("a default export that is not a contract is refused", async () => {
    const source = writeScratch("not-a-contract.ts", "export default { hello: 1 };\n");
    const run = await runTrellis(["contracts", "verify", source]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("is not a contract");
  });

  test("a source that never finishes loading is stopped after TRELLIS_LOAD_TIMEOUT_MS", async () => {
    const source = writeScratch(
      "hangs.ts",
      "await new Promise(() => setInterval(() => {}, 1000));\nexport default {};\n",
    );
    const run = await runTrellis(["contracts", "verify", source], { env: { TRELLIS_LOAD_TIMEOUT_MS: "500" } });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("did not finish within 500 ms");
  });

  test("--export picks a named export", async () => {
    const source = writeScratch(
      "named.ts",
      `export { default as orders } from ${JSON.stringify(join(import.meta.dir, "..", "..", ORDERS))};\n`,
    );
    const named = await runTrellis(["contracts", "digest", source, "--export", "orders"]);
    const direct = await runTrellis(["contracts", "digest", ORDERS]);
    expect(named.exitCode).toBe(0);
    expect(named.stdout).toBe(direct.stdout);
  });
});

describe("trellis contracts digest", () => {
  test("prints the digest alone; --json prints {id, digest}", async () => {
    const text = await runTrellis(["contracts", "digest", ORDERS]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const json = await runTrellis(["contracts", "digest", ORDERS, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ id: "acme.orders@v1", digest: text.stdout.trim() });
  });

  test("the TypeScript source and its emitted JSON give the same digest; copy edits do not change it, surface edits do", async () => {
    const canonical = await runTrellis(["contracts", "show", ORDERS, "--canonical"]);
    expect(canonical.exitCode).toBe(0);
    const manifest = JSON.parse(canonical.stdout) as Record<string, any>;
    const digestOf = async (name: string, value: object) =>
      (await runTrellis(["contracts", "digest", writeScratch(name, value)])).stdout.trim();

    const fromSource = (await runTrellis(["contracts", "digest", ORDERS])).stdout.trim();
    expect(await digestOf("emitted.json", manifest)).toBe(fromSource);

    const copyEdited = structuredClone(manifest);
    copyEdited.displayName = "Renamed";
    copyEdited.description = "Another description.";
    copyEdited.docs = { markdown: "Different docs." };
    copyEdited.rpc["Orders.Get"].docs = { markdown: "Now documented." };
    expect(await digestOf("copy-edited.json", copyEdited)).toBe(fromSource);

    const surfaceEdited = structuredClone(manifest);
    surfaceEdited.rpc["Orders.Get"].subject = "rpc.v2.Orders.Get";
    expect(await digestOf("surface-edited.json", surfaceEdited)).not.toBe(fromSource);
  });
});

describe("trellis contracts show", () => {
  test("derives the service's own permissions", async () => {
    const run = await runTrellis(["contracts", "show", ORDERS, "--json"]);
    expect(run.exitCode).toBe(0);
    const shown = JSON.parse(run.stdout) as {
      id: string;
      surfaces: { kind: string; name: string }[];
      permissions: { ok: boolean; rules: { dir: string; subject: string; requiredCaps: string[] }[] };
      manifest: { format: string };
    };
    expect(shown.id).toBe("acme.orders@v1");
    expect(shown.manifest.format).toBe("trellis.contract.v1");
    expect(shown.surfaces.map((surface) => surface.kind).sort()).toEqual([
      "event",
      "feed",
      "operation",
      "rpc",
      "rpc",
      "rpc",
      "rpc",
      "rpc",
    ]);
    expect(shown.permissions.ok).toBe(true);
    const rules = shown.permissions.rules.map((rule) => `${rule.dir} ${rule.subject} [${rule.requiredCaps.join(",")}]`);
    expect(rules).toContain("sub rpc.v1.Orders.Create [service]");
    expect(rules).toContain("pub events.v1.Orders.StatusChanged.* []");
    expect(rules).toContain("pub events.v1.Health.Heartbeat []");
    expect(rules).toContain("pub rpc.v1.Auth.Requests.Validate [service]");
    expect(rules.some((rule) => rule.includes(">"))).toBe(false);
  });

  test("derives an app's permissions from the contracts it uses", async () => {
    const run = await runTrellis(["contracts", "show", ORDERS_WEB, "--uses", ORDERS, "--json"]);
    expect(run.exitCode).toBe(0);
    const shown = JSON.parse(run.stdout) as {
      permissions: { ok: boolean; rules: { dir: string; subject: string; requiredCaps: string[] }[] };
    };
    const rules = shown.permissions.rules.map((rule) => `${rule.dir} ${rule.subject} [${rule.requiredCaps.join(",")}]`);
    expect(rules).toContain("pub rpc.v1.Orders.Create [acme.orders::write]");
    expect(rules).toContain("pub operations.v1.Orders.Fulfil.control [acme.orders::read]");
    expect(rules).toContain("sub events.v1.Orders.StatusChanged.* [acme.orders::read]");
    expect(rules).toContain("pub feeds.v1.Orders.Watch [acme.orders::read]");
    expect(rules).toContain("pub rpc.v1.Auth.Sessions.Me []");
  });

  test("without its dependency the app's permissions cannot be derived, and the text says why", async () => {
    const run = await runTrellis(["contracts", "show", ORDERS_WEB]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("permissions: cannot be derived");
    expect(run.stdout).toContain("Dependency 'orders' references unknown contract 'acme.orders@v1'");
  });
});
