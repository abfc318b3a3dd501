import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeExampleTree } from "../codegen/support/example-tree.ts";
import { REPO_ROOT } from "../support/cli.ts";

/**
 * `trellis generate --watch --changes --json` (tooling.md §2.4) as a real
 * process: the initial full run, one NDJSON line per batch with the
 * decision of the first matching rule, a contract error that does not stop
 * the watch, ignored files, and SIGTERM ending it with 0.
 */

const tree = makeExampleTree("trellis-watch-");
afterAll(() => tree.remove());

type Line = {
  decision: string;
  reason?: string;
  paths?: string[];
  summary?: Record<string, number>;
  results?: { action: string; id?: string }[];
};

describe("generate --watch", () => {
  test("batches changes, decides per batch, survives a broken contract, exits 0 on SIGTERM", async () => {
    const child = Bun.spawn(
      [process.execPath, join(REPO_ROOT, "src", "cli", "main.ts"), "generate", "--watch", "--changes", "--json"],
      {
        cwd: tree.examples,
        env: { ...process.env, NO_COLOR: "1" },
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    const lines: Line[] = [];
    const reader = child.stdout.getReader();
    let buffered = "";
    const next = async (timeoutMs = 20_000): Promise<Line> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const newline = buffered.indexOf("\n");
        if (newline >= 0) {
          const line = JSON.parse(buffered.slice(0, newline)) as Line;
          buffered = buffered.slice(newline + 1);
          lines.push(line);
          return line;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no batch line within ${timeoutMs} ms; got ${JSON.stringify(lines)}`);
        const chunk = await Promise.race([reader.read(), Bun.sleep(left).then(() => undefined)]);
        if (chunk === undefined || chunk.done) continue;
        buffered += new TextDecoder().decode(chunk.value);
      }
    };
    try {
      const initial = await next();
      expect(initial.decision).toBe("initial");
      expect(initial.summary?.generated).toBe(2);

      // Ignored (not a source or input), then a file a contract imports: one batch, rule 3.
      writeFileSync(join(tree.examples, "orders", "NOTES.md"), "notes\n");
      const schemas = join(tree.examples, "orders", "schemas.ts");
      const original = readFileSync(schemas, "utf8");
      writeFileSync(schemas, original.replace("v.maxLength(500)", "v.maxLength(400)"));
      const edited = await next();
      expect(edited.decision).toBe("entries");
      expect(edited.paths).toEqual([schemas]);
      // OrderCreate is also the input of a surface acme.orders-web uses, so its SDK follows.
      expect(edited.summary).toMatchObject({ generated: 2, fresh: 0 });

      // A broken contract is reported; the watch goes on.
      const contract = join(tree.examples, "orders-web", "contract.ts");
      const web = readFileSync(contract, "utf8");
      writeFileSync(contract, `${web}\nthrow new Error("half-written");\n`);
      const broken = await next();
      expect(broken.decision).toBe("entries");
      expect(broken.results?.find((r) => r.action === "failed")).toBeDefined();
      writeFileSync(contract, web);
      const repaired = await next();
      expect(repaired.summary?.failed ?? 0).toBe(0);

      // An input file: a full run.
      const pkg = join(tree.examples, "orders", "package.json");
      writeFileSync(pkg, readFileSync(pkg, "utf8").replace('"1.0.0"', '"1.0.1"'));
      const input = await next();
      expect([input.decision, input.reason]).toEqual(["full", "an input file changed"]);
      expect(
        JSON.parse(readFileSync(join(tree.generated, "packages/ts/acme-orders/package.json"), "utf8")).version,
      ).toBe("1.0.1");

      // A removal: a full run that prunes the removed contract's outputs.
      rmSync(join(tree.examples, "orders-web", "contract.ts"));
      const removed = await next();
      expect(removed.decision).toBe("full");
      expect(removed.reason).toBe("files were removed");
      expect(existsSync(join(tree.generated, "packages/ts/acme-orders-web"))).toBe(false);
      expect(existsSync(join(tree.generated, "contracts/manifests/acme.orders-web@v1.json"))).toBe(false);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await child.exited).toBe(0);
    expect(lines.every((line) => line.decision !== "ignored")).toBe(true);
  }, 90_000);
});
