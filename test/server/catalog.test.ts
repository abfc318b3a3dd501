import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import * as v from "valibot";
import {
  AuthError,
  builtinEntries,
  coreContract,
  defineAppContract,
  defineServiceContract,
  ValidationError,
} from "../../src/contracts/index.ts";
import { RpcClient } from "../../src/runtime/index.ts";
import { connectWithCreds } from "../../src/server/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService } from "./admin-helpers.ts";
import { approvedSession } from "../e2e/support/sessions.ts";

/**
 * `trellis.core@v1` served by the control plane (contracts.md §6): the
 * catalog is the built-ins plus every approved digest, one entry per digest
 * in id-then-digest order, with issues for approved digests whose manifests
 * cannot be read; `Trellis.Contract.Get` returns an active digest's
 * normalized manifest; both need their capability.
 */
const rpc = coreContract().API.owned.rpc;

// Two compatible digests of one id (the second adds a method; descriptions are not digested).
const catalogued = (version: string, methods: readonly string[]) =>
  defineServiceContract({ schemas: { Empty: v.object({}) } }, (ref) => ({
    id: "test.catalogued@v1",
    displayName: "Catalogued",
    description: `Version ${version}.`,
    rpc: Object.fromEntries(
      methods.map((name) => [name, { version: "v1", input: ref.schema("Empty"), output: ref.schema("Empty") }]),
    ),
  }));
const first = catalogued("one", ["Catalogued.Ping"]);
const second = catalogued("two", ["Catalogued.Ping", "Catalogued.Pong"]);
const reader = defineAppContract(() => ({
  id: "test.catalog-reader@v1",
  displayName: "Catalog reader",
  description: "Reads the catalog.",
  uses: { required: { core: coreContract().use({ rpc: { call: ["Trellis.Catalog"] } }) } },
}));

let stack: LocalStack;
let auth: NatsConnection;

beforeAll(async () => {
  stack = await startLocalStack();
  auth = await connectWithCreds({ servers: [stack.natsUrl], credsPath: stack.config.nats.authCreds, name: "t" });
  await approveService(stack, "catalogued", first.CONTRACT);
  await approveService(stack, "catalogued-next", second.CONTRACT);
}, 60_000);

afterAll(async () => {
  await auth?.close();
  await stack?.stop();
});

describe("Trellis.Catalog and Trellis.Contract.Get", () => {
  test("the catalog lists the built-ins and both approved digests of an id, sorted, without issues", async () => {
    const { catalog } = (await stack.admin.client.call(rpc["Trellis.Catalog"], {})).orThrow();
    expect(catalog.format).toBe("trellis.catalog.v1");
    const digests = catalog.contracts.map((entry) => entry.digest);
    for (const builtin of builtinEntries()) expect(digests).toContain(builtin.digest);
    const mine = catalog.contracts.filter((entry) => entry.id === "test.catalogued@v1");
    expect(mine.map((entry) => entry.digest)).toEqual([first.CONTRACT_DIGEST, second.CONTRACT_DIGEST].sort());
    expect(mine.map((entry) => entry.description).sort()).toEqual(["Version one.", "Version two."]);
    const keys = catalog.contracts.map((entry) => `${entry.id} ${entry.digest}`);
    expect(keys).toEqual([...keys].sort());
    expect(catalog.issues).toBeUndefined();
  });

  test("a contract by digest is its normalized manifest; an unknown digest is a ValidationError at /digest", async () => {
    const got = (
      await stack.admin.client.call(rpc["Trellis.Contract.Get"], { digest: first.CONTRACT_DIGEST })
    ).orThrow();
    expect(got.contract).toEqual(first.CONTRACT as never);
    const builtin = builtinEntries()[0]!;
    const core = (await stack.admin.client.call(rpc["Trellis.Contract.Get"], { digest: builtin.digest })).orThrow();
    expect(core.contract.id).toBe(builtin.manifest.id);
    const unknown = await stack.admin.client.call(rpc["Trellis.Contract.Get"], { digest: "nope" });
    expect(unknown.isErr() && unknown.error).toBeInstanceOf(ValidationError);
    expect(unknown.isErr() && (unknown.error as ValidationError).issues[0]?.path).toBe("/digest");
  });

  test("a caller needs the capability: approval without it is refused, naming it; with it the catalog", async () => {
    const refused = await approvedSession(stack, reader.CONTRACT, []).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AuthError);
    expect(String((refused as AuthError).message)).toContain("trellis.core::catalog.read");
    const keys = await approvedSession(stack, reader.CONTRACT, ["trellis.core::catalog.read"]);
    const connected = await stack.connectAs(keys, reader.CONTRACT_DIGEST);
    if ("error" in connected) throw new Error(connected.error);
    const listed = (await new RpcClient(connected.nc, { keys }).call(rpc["Trellis.Catalog"], {})).orThrow();
    expect(listed.catalog.contracts.some((entry) => entry.id === "test.catalog-reader@v1")).toBe(false);
    expect(listed.catalog.contracts.some((entry) => entry.id === "test.catalogued@v1")).toBe(true);
    await connected.nc.close();
  });

  test("an approved digest whose manifest is gone is reported as missing-active-contract, not dropped silently", async () => {
    const contracts = await new Kvm(auth).open("trellis_contracts");
    await contracts.delete(second.CONTRACT_DIGEST);
    const { catalog } = (await stack.admin.client.call(rpc["Trellis.Catalog"], {})).orThrow();
    expect(catalog.contracts.some((entry) => entry.digest === second.CONTRACT_DIGEST)).toBe(false);
    expect(catalog.issues).toContainEqual({
      kind: "missing-active-contract",
      contractId: "test.catalogued@v1",
      digest: second.CONTRACT_DIGEST,
      message: "approved, but its manifest is not stored",
    });
  });
});
