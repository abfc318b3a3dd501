import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "../support/cli.ts";
import { generatedExamples } from "./support/example-tree.ts";

/**
 * The generated SDKs compile with `tsc --noEmit --strict` in a scratch
 * project that imports them, and their types reject what they should: a
 * wrong input to a call and a handler returning the wrong output each fail to
 * compile, with the error on that line; so do a kv value, a state value and
 * a job payload that break their schemas. The SDK's named types are the
 * runtime's own (a connected client and service are assignable to them).
 * One tsc run checks all of it.
 */

const TSC = join(REPO_ROOT, "node_modules", ".bin", "tsc");

const USES = `import { defineAppContract, Result, type TrellisClient, type TrellisService } from "@trellis/runtime";
import orders, {
  OrderNotFound,
  OrderCreateSchema,
  type AcmeOrdersClient,
  type OrdersGetHandler,
  type Service,
} from "@trellis-sdk/acme-orders";
import web, { type AcmeOrdersWebClient } from "@trellis-sdk/acme-orders-web";
import * as v from "valibot";

// The sdk object is a contract module: another contract uses it exactly as it would use the source.
export const app = defineAppContract(() => ({
  id: "acme.app@v1",
  displayName: "App",
  description: "Uses orders through its SDK.",
  uses: { required: { orders: orders.use({ rpc: { call: ["Orders.Get"] } }) } },
}));

export async function consumer(client: AcmeOrdersWebClient): Promise<string | undefined> {
  const created = await client.rpc.orders.create({ customerId: "c1", items: [{ sku: "s", quantity: 1, priceCents: 5 }] });
  if (created.isErr()) return created.error.message;
  const order: { orderId: string; status: "pending" | "paid" | "shipped" | "cancelled" } = created.value;
  const got = await client.rpc.orders.get({ orderId: order.orderId });
  if (got.isErr() && got.error instanceof OrderNotFound) return got.error.orderId;
  const started = await client.operation.orders.fulfil.start({ orderId: order.orderId });
  if (started.isOk()) {
    const done = await started.value.wait();
    if (done.isOk()) return done.value.output?.trackingNumber;
    await started.value.signal("expedite", { reason: "vip" });
  }
  await client.event.orders.statusChanged.listen(({ event }) => Result.ok(void event.status));
  const feed = await client.feed.orders.watch({ customerId: "c1" });
  if (feed.isOk()) for await (const update of feed.value) return update.orderId;
  return undefined;
}

export const getOrder: OrdersGetHandler = async ({ input }) =>
  input.orderId === "missing"
    ? Result.err(new OrderNotFound({ orderId: input.orderId }))
    : Result.ok({ orderId: input.orderId, customerId: "c", items: [], status: "paid", totalCents: 0, createdAt: "t" });

export function owner(service: Service, self: AcmeOrdersClient) {
  void self;
  void service.handle.rpc.orders.get(getOrder);
  void service.jobs.invoice.handle(({ payload }) => Result.ok({ invoiceId: "i", orderId: payload.orderId, totalCents: 1 }));
  void service.with({ db: 1 }).handle.rpc.orders.list(({ deps }) => Result.ok({ orders: deps.db > 0 ? [] : [] }));
}

// kv resources and state stores are typed through the SDKs' RESOURCES and STATE, as through sources.
export async function resources(service: TrellisService<typeof orders>, client: TrellisClient<typeof web>) {
  const got = await service.kv.orders.get("ord_1");
  const status: "pending" | "paid" | "shipped" | "cancelled" | undefined = got.isOk() ? got.value.value.status : undefined;
  const last = await client.state.lastOrder.get();
  const orderId: string | undefined = last.isOk() && last.value.found && !last.value.migrationRequired ? last.value.entry.value.orderId : undefined;
  await client.state.lastOrder.put({ orderId: "ord_1", placedAt: "t" }, { expectedRevision: null });
  return [status, orderId];
}

// The SDK's named types are what the runtime returns: a connected client and service fit them as they are.
export function fits(c: TrellisClient<typeof web>, s: TrellisService<typeof orders>): [AcmeOrdersWebClient, Service] {
  return [c, s];
}

export const parsed: { customerId: string } = v.parse(OrderCreateSchema, {});
export const digest: string = web.CONTRACT_DIGEST;
`;

const BAD_INPUT = `import type { AcmeOrdersWebClient } from "@trellis-sdk/acme-orders-web";
export async function wrong(client: AcmeOrdersWebClient) {
  return client.rpc.orders.get({ orderId: 42 }); // BAD_INPUT
}
`;

const BAD_OUTPUT = `import { Result } from "@trellis/runtime";
import type { Service } from "@trellis-sdk/acme-orders";
export function wrong(service: Service) {
  return service.handle.rpc.orders.get(() => Result.ok({ orderId: "o", status: "lost" })); // BAD_OUTPUT
}
`;

const BAD_STATE = `import type { TrellisClient, TrellisService } from "@trellis/runtime";
import type orders from "@trellis-sdk/acme-orders";
import type web from "@trellis-sdk/acme-orders-web";
export async function wrong(service: TrellisService<typeof orders>, client: TrellisClient<typeof web>) {
  await service.kv.orders.put("o", { orderId: 1 }); // BAD_KV
  await client.state.lastOrder.put({ orderId: 1, placedAt: "t" }); // BAD_STATE
  await service.jobs.invoice.create({ orderId: 1 }); // BAD_JOB
}
`;

const BAD_USE = `import orders from "@trellis-sdk/acme-orders";
export const record = orders.use({ rpc: { call: ["Orders.Nope"] } }); // BAD_USE
`;

describe("generated SDKs under tsc --strict", () => {
  test("compile in a scratch project; a wrong input, a wrong handler output and an unknown use name do not", async () => {
    const tree = await generatedExamples();
    const scratch = join(tree.dir, "scratch");
    mkdirSync(scratch, { recursive: true });
    const files = {
      "uses.ts": USES,
      "bad-input.ts": BAD_INPUT,
      "bad-output.ts": BAD_OUTPUT,
      "bad-use.ts": BAD_USE,
      "bad-state.ts": BAD_STATE,
    };
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(scratch, name), contents);
    const runtime = relative(scratch, join(REPO_ROOT, "src", "runtime", "index.ts"));
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2024"],
          module: "preserve",
          moduleResolution: "bundler",
          allowImportingTsExtensions: true,
          noEmit: true,
          strict: true,
          skipLibCheck: true,
          types: ["bun-types"],
          paths: {
            "@trellis/runtime": [runtime],
            "@trellis-sdk/*": ["../examples/generated/packages/ts/*/index.ts"],
          },
        },
        include: ["*.ts"],
      }),
    );
    const child = Bun.spawnSync([TSC, "--noEmit", "--strict", "-p", "."], {
      cwd: scratch,
      stdout: "pipe",
      stderr: "pipe",
    });
    const output = `${child.stdout.toString()}${child.stderr.toString()}`;
    const errors = output.split("\n").filter((line) => /error TS\d+/.test(line));
    const byFile = (name: string) => errors.filter((line) => line.startsWith(name));

    // Nothing in the generated packages or in correct use of them.
    expect(errors.filter((line) => !line.startsWith("bad-"))).toEqual([]);
    expect(byFile("bad-input.ts").length).toBeGreaterThan(0);
    expect(byFile("bad-input.ts")[0]).toMatch(/^bad-input\.ts\(3,/);
    expect(output).toContain("Type 'number' is not assignable to type 'string'");
    expect(byFile("bad-output.ts").length).toBeGreaterThan(0);
    expect(byFile("bad-output.ts")[0]).toMatch(/^bad-output\.ts\(4,/);
    expect(output).toContain('"lost"');
    expect(byFile("bad-use.ts")[0]).toMatch(/^bad-use\.ts\(2,.*"Orders.Nope"/);
    expect(
      byFile("bad-state.ts")
        .map((line) => line.slice(0, line.indexOf(",")))
        .sort(),
    ).toEqual(["bad-state.ts(5", "bad-state.ts(6", "bad-state.ts(7"]);
    expect(child.exitCode).not.toBe(0);
  }, 60_000);

  test("the generated files themselves are clean under the strictest common flags too", async () => {
    const tree = await generatedExamples();
    const scratch = join(tree.dir, "scratch-strictest");
    mkdirSync(scratch, { recursive: true });
    writeFileSync(join(scratch, "uses.ts"), USES);
    const runtime = relative(scratch, join(REPO_ROOT, "src", "runtime", "index.ts"));
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2024"],
          module: "preserve",
          moduleResolution: "bundler",
          allowImportingTsExtensions: true,
          noEmit: true,
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          noPropertyAccessFromIndexSignature: true,
          noImplicitOverride: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          skipLibCheck: true,
          types: ["bun-types"],
          paths: {
            "@trellis/runtime": [runtime],
            "@trellis-sdk/*": ["../examples/generated/packages/ts/*/index.ts"],
          },
        },
        include: ["*.ts"],
      }),
    );
    const child = Bun.spawnSync([TSC, "--noEmit", "-p", "."], { cwd: scratch, stdout: "pipe", stderr: "pipe" });
    const output = `${child.stdout.toString()}${child.stderr.toString()}`;
    // The runtime's own sources are not written for these flags; only the generated code is judged here.
    const generatedErrors = output
      .split("\n")
      .filter((line) => line.includes("examples/generated/") && /error TS/.test(line));
    expect(generatedErrors).toEqual([]);
  }, 60_000);
});
