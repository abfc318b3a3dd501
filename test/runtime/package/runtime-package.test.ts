// Bun only by nature: it runs the package build (a Bun script) and then drives Node.js
// and tsc against the result, as a consumer of @trellis/runtime would.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildRuntime, filesUnder, ROOT } from "../../../scripts/build-runtime.ts";
import { makeExampleTree } from "../../codegen/support/example-tree.ts";
import * as v from "valibot";

type Manifest = {
  name: string;
  version: string;
  type: string;
  engines: { node: string };
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
};

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Links `node_modules/<name>` of `project` to the repository's installed copy. */
function linkInstalled(project: string, name: string): void {
  const path = join(project, "node_modules", name);
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  symlinkSync(join(ROOT, "node_modules", name), path);
}

describe("the @trellis/runtime package for Node.js", () => {
  let work: string;
  let built: string;
  let app: string;
  let manifest: Manifest;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "trellis-runtime-package-"));
    built = join(work, "build");
    manifest = buildRuntime(built) as Manifest;
    // What npm would publish, unpacked where npm would put it; next to it only the package's
    // declared dependencies (no network: linked from this repository's install), so an
    // undeclared import fails to resolve.
    const pack = run("npm", ["pack", built, "--pack-destination", work, "--silent"], work);
    expect(pack.status).toBe(0);
    app = join(work, "app");
    const installed = join(app, "node_modules", "@trellis", "runtime");
    mkdirSync(installed, { recursive: true });
    expect(
      run("tar", ["-xzf", join(work, pack.stdout.trim()), "-C", installed, "--strip-components=1"], app).status,
    ).toBe(0);
    for (const name of Object.keys(manifest.dependencies)) linkInstalled(app, name);
    writeFileSync(join(app, "package.json"), `${JSON.stringify({ name: "app", private: true, type: "module" })}\n`);
  });
  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  test("package.json: ESM, types and import conditions, Node.js 20+, the root's exact versions", () => {
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest;
    expect(manifest).toMatchObject({ name: "@trellis/runtime", version: root.version, type: "module" });
    expect(manifest.engines).toEqual({ node: ">=20" });
    expect(manifest.exports["."]).toEqual({ types: "./runtime/index.d.ts", import: "./runtime/index.js" });
    for (const [name, version] of Object.entries(manifest.dependencies)) expect(version).toBe(root.dependencies[name]!);
    // The tooling is not shipped to services.
    for (const name of ["citty", "consola", "@nats-io/jwt", "typescript"])
      expect(manifest.dependencies[name]).toBeUndefined();
  });

  test("every dependency is imported by the package's code or declarations", () => {
    const code = filesUnder(built, [".js", ".d.ts"]).map((file) => readFileSync(file, "utf8"));
    for (const name of Object.keys(manifest.dependencies)) {
      const imported = code.some((text) => text.includes(`from "${name}`) || text.includes(`import("${name}`));
      expect({ name, imported }).toEqual({ name, imported: true });
    }
  });

  test("the JavaScript uses no Bun API and imports only node: modules, its own files and its dependencies", () => {
    const transpiler = new Bun.Transpiler({ loader: "js" });
    const offending: string[] = [];
    for (const file of filesUnder(built, [".js"])) {
      const text = readFileSync(file, "utf8");
      // Comments dropped: a mention of Bun in prose is not a use.
      if (/\bBun\b/.test(transpiler.transformSync(text))) offending.push(`${file}: Bun global`);
      for (const { path } of transpiler.scanImports(text)) {
        const name = path.startsWith("@") ? path.split("/").slice(0, 2).join("/") : path.split("/")[0]!;
        const allowed = path.startsWith(".") || path.startsWith("node:") || name in manifest.dependencies;
        if (!allowed) offending.push(`${file}: ${path}`);
      }
    }
    expect(offending).toEqual([]);
  });

  test("Node.js imports it from an installed copy and computes what Bun computes from the sources", async () => {
    // The same contract module is loaded by Node with the package and by Bun with the sources.
    writeFileSync(
      join(app, "probe.mjs"),
      `export function makeProbe(v, trellis) {\n${PROBE_CONTRACT}\nreturn probe;\n}\n`,
    );
    writeFileSync(
      join(app, "check.mjs"),
      `import * as v from "valibot";
import * as runtime from "@trellis/runtime";
import { makeProbe } from "./probe.mjs";
const probe = makeProbe(v, runtime);
const keys = await runtime.SessionKeys.generate();
const body = new TextEncoder().encode('{"name":"Ada"}');
const signed = { subject: "rpc.v1.Probe.Get", body, iat: 1700000000, requestId: "01J00000000000000000000000" };
const { proof } = await runtime.signRequest(keys, signed);
const fields = { ...signed, sessionKey: keys.sessionKey, payloadHash: runtime.payloadHash(body) };
const input = probe.API.owned.rpc["Probe.Get"].input;
console.log(JSON.stringify({
  node: Number(process.versions.node.split(".")[0]),
  exports: Object.keys(runtime).sort(),
  verified: await runtime.verifyRequestProof(fields, proof),
  tampered: await runtime.verifyRequestProof({ ...fields, iat: fields.iat + 1 }, proof),
  valid: v.safeParse(input, { name: "Ada" }).success,
  invalid: v.safeParse(input, { name: 7 }).success,
  digest: probe.CONTRACT_DIGEST,
}));
`,
    );
    const result = run("node", ["check.mjs"], app);
    expect(result.stderr).toBe("");
    const seen = JSON.parse(result.stdout) as { node: number; exports: string[]; digest: string };
    expect(seen.node).toBeGreaterThanOrEqual(20);
    expect(seen).toMatchObject({ verified: true, tampered: false, valid: true, invalid: false });
    const trellis = await import("../../../src/runtime/index.ts");
    expect(seen.exports).toEqual(Object.keys(trellis).sort());
    const { makeProbe } = (await import(join(app, "probe.mjs"))) as {
      makeProbe: (valibot: typeof v, runtime: typeof trellis) => { CONTRACT_DIGEST: string };
    };
    expect(seen.digest).toBe(makeProbe(v, trellis).CONTRACT_DIGEST);
  });

  test("tsc --strict accepts its declarations (skipLibCheck off) and rejects a consumer's mistakes", () => {
    linkInstalled(app, "@types/node"); // the consumer's own typings, as any Node.js project has
    writeFileSync(
      join(app, "service.ts"),
      `import * as v from "valibot";
import * as trellis from "@trellis/runtime";
import { Result, type AsyncResult, type TrellisService, ValidationError } from "@trellis/runtime";
${PROBE_CONTRACT}
export async function serve(service: TrellisService<typeof probe>): Promise<void> {
  const registered = await service.handle.rpc.probe.get(({ input }) => Result.ok({ name: input.name.toUpperCase() }));
  if (registered.isErr()) console.error(registered.error.message);
  // @ts-expect-error: the output must be a Name
  await service.handle.rpc.probe.get(() => Result.ok({ name: 1 }));
  // @ts-expect-error: no such method
  void service.handle.rpc.probe.put;
}
export const failed: AsyncResult<never, ValidationError> = trellis.AsyncResult.err(new ValidationError([]));
`,
    );
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "ES2022",
          types: ["node"],
          skipLibCheck: false,
          noEmit: true,
        },
        files: ["service.ts"],
      }),
    );
    const tsc = run(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", "."], app);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
    expect(tsc.status).toBe(0);
  });

  test("a generated SDK (trellis generate --targets npm: tsc's JavaScript), installed, runs on Node.js over the package", async () => {
    const sdk = join(app, "node_modules", "@trellis-sdk", "acme-orders");
    const tree = makeExampleTree("trellis-runtime-package-sdk-");
    try {
      const generated = await tree.generate(["--source", "orders/contract.ts", "--targets", "npm"]);
      expect(generated.stderr).toContain("1 generated");
      expect(generated.exitCode).toBe(0);
      // Where npm would install it, beside the unpacked runtime and its dependencies.
      cpSync(join(tree.generated, "packages", "npm", "acme-orders"), sdk, { recursive: true });
    } finally {
      tree.remove();
    }
    writeFileSync(
      join(app, "use-sdk.mjs"),
      `import * as v from "valibot";
import { TrellisError } from "@trellis/runtime";
import orders, { OrderCreateSchema, OrderNotFound } from "@trellis-sdk/acme-orders";
const order = { customerId: "c1", items: [{ sku: "A-1", quantity: 2, priceCents: 999 }] };
const invalid = v.safeParse(OrderCreateSchema, { ...order, items: [{ ...order.items[0], quantity: 0 }] });
const error = new OrderNotFound({ orderId: "o1" });
console.log(JSON.stringify({
  id: orders.CONTRACT_ID,
  digest: orders.CONTRACT_DIGEST,
  valid: v.safeParse(orders.API.owned.rpc["Orders.Create"].input, order).success,
  invalid: invalid.success,
  issuePath: invalid.issues?.[0]?.path?.map((step) => step.key),
  error: { type: error.type, orderId: error.orderId, trellis: error instanceof TrellisError },
}));
`,
    );
    const result = run("node", ["use-sdk.mjs"], app);
    expect(result.stderr).toBe("");
    const sdkPackage = JSON.parse(readFileSync(join(sdk, "package.json"), "utf8")) as {
      trellis: { contractDigest: string };
    };
    expect(JSON.parse(result.stdout)).toEqual({
      id: "acme.orders@v1",
      digest: sdkPackage.trellis.contractDigest,
      valid: true,
      invalid: false,
      issuePath: ["items", 0, "quantity"],
      error: { type: "OrderNotFound", orderId: "o1", trellis: true },
    });
  });
});

/** One small contract, written once for Node (the scratch project) and Bun (the sources). */
const PROBE_CONTRACT = `const probe = trellis.defineServiceContract(
  { schemas: { Name: v.object({ name: v.string() }) } },
  (ref) => ({
    id: "acme.probe@v1",
    displayName: "Probe",
    description: "A probe.",
    rpc: { "Probe.Get": { version: "v1", input: ref.schema("Name"), output: ref.schema("Name") } },
  }),
);`;
