// Bun only by nature: the scanner is part of a Bun script (it uses Bun.Transpiler).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { SUITE_SCOPE, selectSuite, type SuiteScope } from "../../../scripts/build-node-tests.ts";

// Kept out of line starts in this file, so that the real scan does not take this file for a node:test file.
const NODE_TEST = 'import { test } from "node:test";';

/** A fake repository: the scanner only reads files, relative to the scope's root. */
const FIXTURES: Record<string, string> = {
  "test/support/helper.ts": 'export const helper = () => "ok";\n',
  "test/support/types.ts": "export type Answer = { value: number };\n",
  "test/support/spawns.ts": 'export const run = () => Bun.spawn(["true"]);\n',
  "test/support/uses-missing.ts": 'export { nothing } from "./nowhere.ts";\n',
  "src/server/http.ts": "export const serve = () => undefined;\n",
  "test/runtime/portable.test.ts": [
    NODE_TEST,
    'import { helper } from "../support/helper.ts";',
    'import type { Answer } from "../support/types.ts";',
    'const literal = await import("../support/helper.ts");',
    'test("x", () => helper() satisfies string);',
    "",
  ].join("\n"),
  "test/runtime/dynamic-template.test.ts": [
    NODE_TEST,
    'const name = "a";',
    // A template with a substitution as the specifier: nothing the scanner can follow.
    "const loaded = await import(`./cases/${name}.ts`);",
    "",
  ].join("\n"),
  "test/runtime/writes-source.test.ts": [
    NODE_TEST,
    'const name = "contract";',
    // An import line inside a template string (a test that writes a source file).
    "const source = `",
    'import { x } from "./${name}.ts";',
    "`;",
    "",
  ].join("\n"),
  "test/runtime/missing.test.ts": [NODE_TEST, 'import { gone } from "../support/gone.ts";', ""].join("\n"),
  "test/runtime/missing-deep.test.ts": [NODE_TEST, 'import { nothing } from "../support/uses-missing.ts";', ""].join(
    "\n",
  ),
  "test/runtime/bun-global.test.ts": [NODE_TEST, 'import { run } from "../support/spawns.ts";', ""].join("\n"),
  "test/runtime/server.test.ts": [NODE_TEST, 'import { serve } from "../../src/server/http.ts";', ""].join("\n"),
  "test/runtime/broken.test.ts": [NODE_TEST, "const = ;", ""].join("\n"),
  // Not a node:test file: neither list.
  "test/runtime/bun-native.test.ts": 'import { test } from "bun:test";\n',
};

let scope: SuiteScope;

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), "trellis-node-suite-"));
  for (const [path, text] of Object.entries(FIXTURES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  scope = { ...SUITE_SCOPE, root, dirs: ["test/runtime", "test/support"] };
});

afterAll(() => rmSync(scope.root, { recursive: true, force: true }));

describe("selecting the Node suite", () => {
  test("portable tests run on Node; anything the scan cannot follow is Bun-only with a reason, not a failure", () => {
    const suite = selectSuite(scope);
    const rel = (file: string) => relative(scope.root, file);
    expect(suite.node.map(rel)).toEqual(["test/runtime/portable.test.ts"]);
    expect(Object.fromEntries(suite.bunOnly.map(({ file, reason }) => [rel(file), reason]))).toEqual({
      "test/runtime/broken.test.ts": expect.stringMatching(/^test\/runtime\/broken\.test\.ts does not parse/),
      "test/runtime/bun-global.test.ts": "test/support/spawns.ts uses the Bun global",
      "test/runtime/dynamic-template.test.ts":
        "test/runtime/dynamic-template.test.ts has a dynamic import of a computed specifier",
      "test/runtime/missing-deep.test.ts":
        "test/support/uses-missing.ts imports test/support/nowhere.ts, which does not exist",
      "test/runtime/missing.test.ts": "test/runtime/missing.test.ts imports test/support/gone.ts, which does not exist",
      "test/runtime/server.test.ts": "test/runtime/server.test.ts imports src/server/http.ts",
      "test/runtime/writes-source.test.ts":
        "test/runtime/writes-source.test.ts imports a template string (./${name}.ts)",
    });
  });

  test("the repository's own suite: the runtime's unit tests run on Node, the control-plane end-to-end ones do not", () => {
    const suite = selectSuite();
    const rel = (file: string) => relative(SUITE_SCOPE.root, file);
    expect(suite.node.map(rel)).toContain("test/runtime/rpc-wire.test.ts");
    expect(suite.bunOnly.map(({ file }) => rel(file))).toContain("test/e2e/connect.test.ts");
    expect(suite.node.map(rel)).not.toContain("test/runtime/package/node-suite-scan.test.ts");
    expect(suite.bunOnly.map(({ file }) => rel(file))).not.toContain("test/runtime/package/node-suite-scan.test.ts");
  });
});
