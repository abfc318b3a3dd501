import { afterAll, beforeAll, expect, test } from "bun:test";
import { coreContract, defineAppContract, TransportError } from "../../src/contracts/index.ts";
import { RpcClient } from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approvedSession } from "../e2e/support/sessions.ts";

/**
 * A call to a subject the session may not publish is refused by nats-server
 * (a permissions violation, reported asynchronously); the runtime's
 * requester matches it to the call, which ends with TransportError
 * `trellis.request.denied` instead of waiting out its timeout.
 */
const reader = defineAppContract(() => ({
  id: "test.denied-reader@v1",
  displayName: "Reader",
  description: "Reads the catalog, nothing else.",
  uses: { required: { core: coreContract().use({ rpc: { call: ["Trellis.Catalog"] } }) } },
}));

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

test("a call the session's permissions refuse is trellis.request.denied (not a timeout)", async () => {
  const keys = await approvedSession(stack, reader.CONTRACT, ["trellis.core::catalog.read"]);
  const connected = await stack.connectAs(keys, reader.CONTRACT_DIGEST);
  if ("error" in connected) throw new Error(connected.error);
  const client = new RpcClient(connected.nc, { keys, timeoutMs: 10_000 });
  try {
    const allowed = await client.call(coreContract().API.owned.rpc["Trellis.Catalog"], {});
    expect(allowed.isOk()).toBe(true);
    const refused = await client.call(coreContract().API.owned.rpc["Trellis.Contract.Get"], { digest: "x" });
    expect(refused.isErr() && refused.error).toBeInstanceOf(TransportError);
    expect(refused.isErr() && (refused.error as TransportError).code).toBe("trellis.request.denied");
  } finally {
    await connected.nc.close();
  }
});
