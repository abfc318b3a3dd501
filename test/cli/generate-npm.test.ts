// Bun only by nature: it drives the CLI, the runtime package build (a Bun script), npm,
// Node.js and tsc, as the user of a generated npm package would.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildRuntime } from "../../scripts/build-runtime.ts";
import { buildPlan } from "../../src/cli/generate/plan.ts";
import { makeExampleTree, writeRuntimePaths, type ExampleTree } from "../codegen/support/example-tree.ts";
import { REPO_ROOT, runTrellis } from "../support/cli.ts";

/**
 * The `npm` target (tooling.md §2, §2.1; design/codegen.md "Target npm"):
 * `packages/npm/<dir>/` with tsc's JavaScript and declarations, which Node.js
 * 20 loads from node_modules and `tsc --strict` accepts; deterministic,
 * covered by `--check`, and a clear error without tsc.
 */

const TARGETS = ["--targets", "manifest,ts,npm"];
const NPM_FILES = [
  "README.md",
  "TRELLIS.md",
  "contract.json",
  ...["api", "client", "contract", "index", "owned_api", "schemas", "types"].flatMap((name) => [
    `dist/${name}.d.ts`,
    `dist/${name}.js`,
  ]),
  "package.json",
].sort();

/** Every file under `dir`, relative, with its bytes and identity. */
function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number; ino: number }> {
  const files = new Map<string, { bytes: string; mtimeMs: number; ino: number }>();
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else files.set(relative(dir, path), { bytes: readFileSync(path, "utf8"), mtimeMs: stat.mtimeMs, ino: stat.ino });
    }
  };
  walk(dir);
  return files;
}

/** The generated outputs without the stamps (which hold root-relative paths to the compiler's inputs). */
function outputs(generated: string): Map<string, string> {
  return new Map(
    [...snapshot(generated)]
      .filter(([path]) => !path.startsWith(".trellis-cache"))
      .map(([path, file]) => [path, file.bytes]),
  );
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("trellis generate --targets manifest,ts,npm", () => {
  const trees: ExampleTree[] = [];
  let work: string;
  let tree: ExampleTree;
  let npmDir: string;
  /** The scratch Node project (made by the Node.js test). */
  let app: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "trellis-npm-test-"));
    tree = makeExampleTree("trellis-npm-a-");
    trees.push(tree);
    const generated = await tree.generate(TARGETS);
    if (generated.exitCode !== 0) throw new Error(`generate failed:\n${generated.stdout}\n${generated.stderr}`);
    npmDir = join(tree.generated, "packages", "npm", "acme-orders");
  }, 120_000);
  afterAll(() => {
    for (const t of trees) t.remove();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  test("packages/npm/<dir>: package.json for Node (ESM, types/import, peers), dist/*.js + .d.ts, README, nothing of this machine", () => {
    for (const dir of ["acme-orders", "acme-orders-web"]) {
      const files = [...snapshot(join(tree.generated, "packages", "npm", dir)).keys()].sort();
      expect(files).toEqual(NPM_FILES);
    }
    const pkg = JSON.parse(readFileSync(join(npmDir, "package.json"), "utf8"));
    const manifest = readFileSync(join(tree.generated, "contracts", "manifests", "acme.orders@v1.json"), "utf8");
    const tsPkg = JSON.parse(
      readFileSync(join(tree.generated, "packages", "ts", "acme-orders", "package.json"), "utf8"),
    );
    expect(pkg).toEqual({
      name: "@trellis-sdk/acme-orders",
      version: "1.0.0",
      description: tsPkg.description,
      type: "module",
      sideEffects: false,
      main: "./dist/index.js",
      types: "./dist/index.d.ts",
      exports: {
        ".": { types: "./dist/index.d.ts", import: "./dist/index.js" },
        "./contract.json": "./contract.json",
        "./package.json": "./package.json",
      },
      engines: { node: ">=20" },
      trellis: tsPkg.trellis,
      peerDependencies: tsPkg.peerDependencies,
    });
    expect(pkg.peerDependencies).toEqual({ "@trellis/runtime": "^0.1.0", valibot: "^1.5.0" });
    expect(readFileSync(join(npmDir, "contract.json"), "utf8")).toBe(manifest);
    expect(readFileSync(join(npmDir, "README.md"), "utf8")).toContain("npm install <path> @trellis/runtime valibot");
    for (const [path, file] of snapshot(npmDir)) {
      for (const place of [tree.dir, REPO_ROOT, tmpdir()])
        expect({ path, has: file.bytes.includes(place) }).toEqual({ path, has: false });
      expect({ path, sourceMap: file.bytes.includes("sourceMappingURL") }).toEqual({ path, sourceMap: false });
    }
    // The JavaScript imports its siblings as .js (rewritten) and only the peers otherwise.
    const index = readFileSync(join(npmDir, "dist", "types.js"), "utf8");
    expect(index).toContain('from "./schemas.js"');
    expect(index).toContain('from "@trellis/runtime"');
  });

  test("--check exits 0 after generate; a second run writes nothing and reports fresh", async () => {
    const check = await tree.generate([...TARGETS, "--check"]);
    expect(check.stdout).toContain("ok up-to-date acme.orders@v1");
    expect(check.exitCode).toBe(0);
    const before = snapshot(tree.generated);
    const second = await tree.generate(TARGETS);
    expect(second.stderr).toContain("0 generated, 0 verified, 2 fresh");
    expect(second.exitCode).toBe(0);
    const after = snapshot(tree.generated);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [path, file] of after) {
      const was = before.get(path)!;
      expect({ path, mtimeMs: file.mtimeMs, ino: file.ino }).toEqual({ path, mtimeMs: was.mtimeMs, ino: was.ino });
    }
    // The stamp records the targets and what tsc read (tsc's version among them).
    const stamp = JSON.parse(readFileSync(join(tree.generated, ".trellis-cache", "acme.orders@v1.json"), "utf8"));
    expect(stamp.targets).toEqual(["manifest", "ts", "npm"]);
    expect(stamp.compiler.tsc).toMatch(/^Version /);
    expect(stamp.compiler.files.length).toBeGreaterThan(0);
  }, 120_000);

  test("a second tree elsewhere gives byte-identical outputs; after a contract edit --check exits 4 naming the npm files and writes nothing; without the target they are pruned", async () => {
    const other = makeExampleTree("trellis-npm-b-");
    trees.push(other);
    const generated = await other.generate(TARGETS);
    expect(generated.exitCode).toBe(0);
    const mine = outputs(tree.generated);
    const theirs = outputs(other.generated);
    expect([...theirs.keys()]).toEqual([...mine.keys()]);
    for (const [path, bytes] of theirs) expect({ path, same: bytes === mine.get(path) }).toEqual({ path, same: true });

    const contract = join(other.examples, "orders", "contract.ts");
    writeFileSync(
      contract,
      readFileSync(contract, "utf8").replace("Takes, tracks and fulfils customer orders.", "Takes and tracks orders."),
    );
    const before = snapshot(other.generated);
    const check = await other.generate([...TARGETS, "--check", "--source", "orders/contract.ts"]);
    expect(check.exitCode).toBe(4);
    for (const file of ["package.json", "README.md", "contract.json", "dist/contract.js"])
      expect(check.stdout).toContain(`stale generated/packages/npm/acme-orders/${file} reason=changed`);
    const after = snapshot(other.generated);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [path, file] of after)
      expect({ path, same: file.mtimeMs === before.get(path)!.mtimeMs }).toEqual({ path, same: true });

    // Back to the default targets (manifest, ts): the npm packages are left over and removed.
    const back = await other.generate();
    expect(back.exitCode).toBe(0);
    expect(existsSync(join(other.generated, "packages", "npm"))).toBe(false);
    expect(existsSync(join(other.generated, "packages", "ts", "acme-orders", "index.ts"))).toBe(true);
  }, 120_000);

  test("Node.js 20 imports the installed SDK over the built runtime; tsc --strict accepts its declarations", () => {
    const runtime = join(work, "runtime");
    buildRuntime(runtime);
    app = join(work, "app");
    mkdirSync(app);
    const root = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
    writeFileSync(
      join(app, "package.json"),
      `${JSON.stringify({
        name: "scratch",
        private: true,
        type: "module",
        dependencies: {
          "@trellis/runtime": `file:${runtime}`,
          "@trellis-sdk/acme-orders": `file:${npmDir}`,
          valibot: root.dependencies.valibot,
        },
        devDependencies: { "@types/node": root.devDependencies["@types/node"] },
      })}\n`,
    );
    // Copies, not links (--install-links): the SDK must find its peers from node_modules, as a registry install does.
    const install = run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--install-links"], app);
    expect(install.stderr.split("\n").filter((line) => /ERR!/.test(line))).toEqual([]);
    expect(install.status).toBe(0);

    writeFileSync(
      join(app, "check.mjs"),
      `import * as v from "valibot";
import { TrellisError } from "@trellis/runtime";
import orders, { CONTRACT_DIGEST, OrderCreateSchema, OrderNotFound } from "@trellis-sdk/acme-orders";
const order = { customerId: "c1", items: [{ sku: "A-1", quantity: 2, priceCents: 999 }] };
const invalid = v.safeParse(OrderCreateSchema, { ...order, items: [{ ...order.items[0], quantity: 0 }] });
const rebuilt = OrderNotFound.fromData({ id: "e1", type: "OrderNotFound", message: "order o1 not found", orderId: "o1" });
const refused = OrderNotFound.fromData({ id: "e2", type: "OrderNotFound", message: "no id" });
console.log(JSON.stringify({
  node: Number(process.versions.node.split(".")[0]),
  id: orders.CONTRACT_ID,
  digest: CONTRACT_DIGEST,
  valid: v.safeParse(orders.API.owned.rpc["Orders.Create"].input, order).success,
  invalid: invalid.success,
  issuePath: invalid.issues?.[0]?.path?.map((step) => step.key),
  error: rebuilt.isOk() && {
    type: rebuilt.value.type,
    orderId: rebuilt.value.orderId,
    message: rebuilt.value.message,
    declared: rebuilt.value instanceof OrderNotFound,
    trellis: rebuilt.value instanceof TrellisError,
  },
  refused: refused.isErr(),
}));
`,
    );
    const node = run("node", ["check.mjs"], app);
    expect(node.stderr).toBe("");
    const seen = JSON.parse(node.stdout);
    const manifest = JSON.parse(
      readFileSync(join(tree.generated, "contracts", "manifests", "acme.orders@v1.json"), "utf8"),
    );
    const stamp = JSON.parse(readFileSync(join(tree.generated, ".trellis-cache", "acme.orders@v1.json"), "utf8"));
    expect(manifest.id).toBe("acme.orders@v1");
    expect(seen.node).toBeGreaterThanOrEqual(20);
    expect(seen).toMatchObject({
      id: "acme.orders@v1",
      digest: stamp.digest,
      valid: true,
      invalid: false,
      issuePath: ["items", 0, "quantity"],
      error: { type: "OrderNotFound", orderId: "o1", message: "order o1 not found", declared: true, trellis: true },
      refused: true,
    });

    writeFileSync(
      join(app, "consumer.ts"),
      `import * as v from "valibot";
import orders, { OrderCreateSchema, OrderNotFound, type AcmeOrdersClient, type OrdersCreateInput } from "@trellis-sdk/acme-orders";
const input: OrdersCreateInput = { customerId: "c1", items: [{ sku: "A-1", quantity: 2, priceCents: 999 }] };
export const parsed: boolean = v.safeParse(OrderCreateSchema, input).success;
export const digest: string = orders.CONTRACT_DIGEST;
export async function get(client: AcmeOrdersClient): Promise<string | undefined> {
  const created = await client.rpc.orders.create(input);
  if (created.isErr()) return undefined;
  const found = await client.rpc.orders.get({ orderId: created.value.orderId });
  if (found.isErr()) return found.error instanceof OrderNotFound ? found.error.orderId : found.error.message;
  return found.value.customerId;
}
export async function wrong(client: AcmeOrdersClient): Promise<void> {
  // @ts-expect-error: quantity is a number
  await client.rpc.orders.create({ customerId: "c1", items: [{ sku: "A-1", quantity: "2", priceCents: 1 }] });
  // @ts-expect-error: no such method
  void client.rpc.orders.remove;
}
`,
    );
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "ES2022",
          types: ["node"],
          skipLibCheck: false,
          noEmit: true,
        },
        files: ["consumer.ts"],
      }),
    );
    const tsc = run(join(REPO_ROOT, "node_modules", ".bin", "tsc"), ["-p", "."], app);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
    expect(tsc.status).toBe(0);
  }, 180_000);

  test("compiled against an installed @trellis/runtime (its .d.ts, no tsconfig paths) the package has the same bytes", async () => {
    // The scratch project has the built runtime in node_modules; its SDK is generated from the manifest.
    const manifest = join(tree.generated, "contracts", "manifests", "acme.orders@v1.json");
    writeFileSync(join(app, "acme.orders@v1.json"), readFileSync(manifest));
    const generated = await runTrellis(
      [
        "generate",
        "--manifest",
        "acme.orders@v1.json",
        "--artifact-version",
        "1.0.0",
        "--targets",
        "npm",
        "--out",
        "out",
      ],
      { cwd: app, env: { TRELLIS_TSC_BIN: join(REPO_ROOT, "node_modules", ".bin", "tsc") } },
    );
    expect(generated.stderr).toContain("1 generated");
    expect(generated.exitCode).toBe(0);
    const stamp = JSON.parse(readFileSync(join(app, "out", ".trellis-cache", "acme.orders@v1.json"), "utf8"));
    expect(stamp.compiler.files).toContain("node_modules/@trellis/runtime/runtime/index.d.ts");
    const label = (text: string, source: string) => text.replaceAll(source, "<source>");
    const fromPackage = snapshot(join(app, "out", "packages", "npm", "acme-orders"));
    const fromSources = snapshot(npmDir);
    expect([...fromPackage.keys()]).toEqual([...fromSources.keys()]);
    for (const [path, file] of fromPackage) {
      const same =
        label(file.bytes, "acme.orders@v1.json") === label(fromSources.get(path)!.bytes, "orders/contract.ts");
      expect({ path, same }).toEqual({ path, same: true });
    }
  }, 60_000);

  test("sdk.targets may name npm; with npm a path as the runtime import, or --sdk-out with ts too, is a usage error", () => {
    const project = join(work, "configured");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "p", version: "1.0.0", trellis: { sdk: { targets: ["manifest", "npm"] } } }),
    );
    writeFileSync(join(project, "contract.ts"), "export default {};\n");
    const planned = buildPlan({ cwd: project });
    expect(planned.isOk() && planned.value.entries.map((e) => e.targets)).toEqual([["manifest", "npm"]]);
    const path = buildPlan({ cwd: project, runtimeImport: "../runtime/index.ts" });
    expect(path.isErr() && path.error).toMatchObject({
      exit: 2,
      message: expect.stringContaining("target npm needs a package name"),
    });
    const both = buildPlan({ cwd: project, sdkOut: "sdk", targets: ["ts", "npm"] });
    expect(both.isErr() && both.error).toMatchObject({
      exit: 2,
      message: expect.stringContaining("--sdk-out names one package directory"),
    });
    expect(buildPlan({ cwd: project, sdkOut: "sdk", targets: ["npm"] }).isOk()).toBe(true);
  });

  test("without tsc (none in node_modules/.bin, none on PATH, TRELLIS_TSC_BIN pointing nowhere): a clear error, exit 1, nothing written", async () => {
    // A copy of the examples whose node_modules has every package of this repository but no .bin.
    const dir = mkdtempSync(join(tmpdir(), "trellis-npm-notsc-"));
    trees.push({ remove: () => rmSync(dir, { recursive: true, force: true }) } as ExampleTree);
    const source = join(REPO_ROOT, "examples");
    for (const name of ["package.json", "orders", "orders-web"])
      run("cp", ["-r", join(source, name), join(dir, name)], REPO_ROOT);
    rmSync(join(dir, "orders", "generated"), { recursive: true, force: true });
    mkdirSync(join(dir, "node_modules"));
    for (const name of readdirSync(join(REPO_ROOT, "node_modules")))
      if (name !== ".bin") symlinkSync(join(REPO_ROOT, "node_modules", name), join(dir, "node_modules", name));
    writeRuntimePaths(dir);
    const emptyPath = join(dir, "no-tools");
    mkdirSync(emptyPath);
    const result = await runTrellis(["generate", ...TARGETS], {
      cwd: dir,
      env: { PATH: emptyPath, TRELLIS_TSC_BIN: join(dir, "nowhere", "tsc") },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("target npm needs tsc (TypeScript) and found none");
    expect(result.stderr).toContain(`TRELLIS_TSC_BIN=${join(dir, "nowhere", "tsc")} does not run`);
    expect(result.stderr).toContain("npm install -D typescript");
    expect(existsSync(join(dir, "generated"))).toBe(false);
  });
});
