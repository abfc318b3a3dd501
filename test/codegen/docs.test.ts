import { describe, expect, test } from "bun:test";
import orders from "../../examples/orders/contract.ts";
import ordersWeb from "../../examples/orders-web/contract.ts";
import { docsFileName, renderContractDocs } from "../../src/codegen/index.ts";
import { loadManifest, type NormalizedManifest } from "../../src/contracts/index.ts";
import { runTrellis } from "../support/cli.ts";

function load(input: unknown): { manifest: NormalizedManifest; digest: string; canonical: string } {
  const loaded = loadManifest(input);
  if (loaded.isErr()) throw new Error(JSON.stringify(loaded.error.issues));
  return loaded.value;
}

const ORDERS = load(orders.CONTRACT);
const ordersDocs = renderContractDocs(ORDERS.manifest, ORDERS.digest);

describe("renderContractDocs: the orders example", () => {
  test("a header with id, kind, digest and description", () => {
    expect(ordersDocs).toStartWith("# Orders\n\n- **Id**: `acme.orders@v1`\n- **Kind**: service\n");
    expect(ordersDocs).toContain(`- **Digest**: \`${orders.CONTRACT_DIGEST}\``);
    expect(ordersDocs).toContain("Takes, tracks and fulfils customer orders.");
    expect(ordersDocs).toContain("The example service of the Trellis repository.");
  });

  test("every surface, with its subject", () => {
    const m = ORDERS.manifest;
    const surfaces = [m.rpc, m.operations, m.events, m.feeds].flatMap((section) => Object.entries(section ?? {}));
    expect(surfaces.length).toBe(8);
    for (const [name, surface] of surfaces) {
      expect(ordersDocs).toContain(`\n### ${name}\n`);
      expect(ordersDocs).toContain(`- **Subject**: \`${surface.subject}\``);
    }
    expect(ordersDocs).toContain("- **Control subject**: `operations.v1.Orders.Fulfil.control`");
    expect(ordersDocs).toContain("- **Subscribe pattern**: `events.v1.Orders.StatusChanged.*`");
  });

  test("every capability, with its gates", () => {
    for (const key of Object.keys(ORDERS.manifest.capabilities ?? {})) expect(ordersDocs).toContain(`| \`${key}\` |`);
    expect(ordersDocs).toContain(
      "| `acme.orders::fulfil` | Fulfil orders | Start, expedite or cancel fulfilment. | Ships goods to customers. |",
    );
    expect(ordersDocs).toContain("- **Call requires**: `acme.orders::write`");
    expect(ordersDocs).toContain("- **Observe requires**: `acme.orders::read`");
    expect(ordersDocs).toContain("- **Cancel**: requires `acme.orders::fulfil`");
    expect(ordersDocs).toContain("- **Call requires**: authentication only");
  });

  test("every error, declared and built-in", () => {
    expect(ordersDocs).toContain("- **Errors**: `AuthError`, `OrderNotFound`, `UnexpectedError`, `ValidationError`");
    expect(ordersDocs).toContain(
      "| `OrderNotFound` | `OrderNotFound` | `OrderNotFoundData` | `Orders.Get`, `Orders.Pay` |",
    );
    expect(ordersDocs).toContain("| `OrderNotPayable` | `OrderNotPayable` | `OrderNotPayableData` | `Orders.Pay` |");
    expect(ordersDocs).toContain('| `type` | string | yes | = `"OrderNotFound"` |  |');
  });

  test("schemas as tables: nested arrays flattened with [], enums and bounds as constraints", () => {
    expect(ordersDocs).toContain(
      "**Input** `OrderCreate`\n\n| Property | Type | Required | Constraints | Description |\n| --- | --- | --- | --- | --- |\n",
    );
    expect(ordersDocs).toContain("| `items` | object[] | yes | items 1–50 |  |");
    expect(ordersDocs).toContain("| `items[].quantity` | integer | yes | 1–1000 |  |");
    expect(ordersDocs).toContain("| `note` | string | no | length ≤ 500 |  |");
    expect(ordersDocs).toContain(
      '| `status` | string | yes | one of `"pending"`, `"paid"`, `"shipped"`, `"cancelled"` |  |',
    );
    expect(ordersDocs).toContain("| `checks[].info.*` | any | no |  |  |");
    expect(ordersDocs).toContain("**Input** `Empty`\n\nAn object with no properties.");
  });

  test("jobs with effective settings, resources and uses", () => {
    expect(ordersDocs).toContain(
      "### invoice\n\n- **maxDeliver**: 4\n- **backoffMs**: 5000, 30000, 120000, 600000, 1800000 (default)",
    );
    expect(ordersDocs).toContain("| `orders` | Orders by id | `Order` | true | 3 | 0 (no expiry) | unlimited |");
    expect(ordersDocs).toContain("| `health` | `trellis.health@v1` | required | events.publish: `Health.Heartbeat` |");
  });

  test("byte-stable: the same bytes every run, and from the canonical manifest as from the source", () => {
    expect(renderContractDocs(ORDERS.manifest, ORDERS.digest)).toBe(ordersDocs);
    const fromCanonical = load(JSON.parse(ORDERS.canonical));
    expect(renderContractDocs(fromCanonical.manifest, fromCanonical.digest)).toBe(ordersDocs);
    expect(ordersDocs.endsWith("\n") && !ordersDocs.endsWith("\n\n")).toBe(true);
    expect(ordersDocs).not.toContain("\r");
    expect(ordersDocs).not.toContain("\n\n\n");
  });

  test("trellis contracts docs prints the same Markdown", async () => {
    const run = await runTrellis(["contracts", "docs", "examples/orders/contract.ts"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(ordersDocs);
  });
});

describe("renderContractDocs: other shapes", () => {
  test("an app without surfaces gets no surface sections", () => {
    const web = load(ordersWeb.CONTRACT);
    const docs = renderContractDocs(web.manifest, web.digest);
    expect(docs).toContain("- **Kind**: app");
    expect(docs).toContain("| `orders` | `acme.orders@v1` | required | rpc.call: `Orders.Create`, `Orders.Get`");
    for (const heading of [
      "## Surfaces",
      "## RPC",
      "## Operations",
      "## Events",
      "## Feeds",
      "## Jobs",
      "## Resources",
    ])
      expect(docs).not.toContain(heading);
  });

  test("nullable objects, records, unions, arrays of values; table cells escaped", () => {
    const m = load({
      format: "trellis.contract.v1",
      id: "acme.shapes@v1",
      displayName: "Shapes",
      description: "Odd schemas.",
      kind: "service",
      schemas: {
        In: {
          type: "object",
          properties: {
            owner: {
              anyOf: [{ type: "object", properties: { id: { type: "string" } }, required: ["id"] }, { type: "null" }],
            },
            tags: { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true },
            counts: { type: "object", additionalProperties: { type: "integer", minimum: 0 } },
            mode: { enum: ["a|b", "c"], description: "Pipes | and\nnewlines." },
            id: { anyOf: [{ type: "string" }, { type: "integer" }] },
          },
          required: ["mode"],
          additionalProperties: false,
        },
        Out: { type: "string", format: "date-time" },
      },
      rpc: {
        "Shapes.Do": { version: "v1", subject: "rpc.v1.Shapes.Do", input: { schema: "In" }, output: { schema: "Out" } },
      },
    });
    const docs = renderContractDocs(m.manifest, m.digest);
    expect(docs).toContain("| `owner` | object \\| null | no |  |  |");
    expect(docs).toContain("| `owner.id` | string | yes |  |  |");
    expect(docs).toContain("| `tags` | string[] | no | unique items; each: length ≥ 1 |  |");
    expect(docs).toContain("| `counts.*` | integer | no | ≥ 0 |  |");
    expect(docs).toContain('| `mode` | string | yes | one of `"a\\|b"`, `"c"` | Pipes \\| and newlines. |');
    expect(docs).toContain("| `id` | string \\| integer | no |  |  |");
    expect(docs).toContain("| (value) | string | yes | format date-time |  |");
  });

  test("docsFileName", () => {
    expect(docsFileName("acme.orders@v1")).toBe("acme.orders@v1.md");
    expect(docsFileName("a/b@v1")).toBe("a_b@v1.md");
  });
});
