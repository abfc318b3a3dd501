import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { NatsConnection } from "@nats-io/nats-core";
import { stateContract } from "../../src/contracts/index.ts";
import {
  KVError,
  RpcClient,
  SessionKeys,
  silentLogger,
  StoreError,
  TrellisClient,
  TrellisService,
  ValidationError,
  type KvChange,
  type KvStore,
  type ObjectStore,
  type OpenStore,
} from "../../src/runtime/index.ts";
import { assertInstanceOf, assertMatch } from "../support/assert.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { PermissionProbe } from "../support/permission-probe.ts";
import { approveService, provisionInstance, rpc } from "../server/admin-helpers.ts";
import { neighbour, notesApp, notesAppV2, vault } from "./fixtures/resource-contracts.ts";
import { trellisUrlOf } from "./support/sessions.ts";

/**
 * runtime-wire.md §6 through the full stack: the vault service binds the kv
 * bucket and object store reconciliation created for it (so every operation
 * below also proves the callout's exact grants suffice), users reach their
 * state only through `trellis.state@v1`, and nobody reaches a bucket that
 * is not theirs.
 */

let stack: LocalStack;
let service: TrellisService<typeof vault>;
let vaultKeys: SessionKeys;
let neighbourBucket: string;
let files: OpenStore;
let vaultBucket: string;
/** The vault's own connection, without the runtime: what it could do by hand. */
let vaultRaw: NatsConnection;

before(async () => {
  stack = await startLocalStack();
  neighbourBucket = (await approveService(stack, "neighbour", neighbour.CONTRACT)).approval.bindings.find(
    (b) => b.kind === "kv",
  )!.resource;
  vaultBucket = (await approveService(stack, "vault", vault.CONTRACT)).approval.bindings.find(
    (b) => b.kind === "kv" && b.name === "notes",
  )!.resource;
  vaultKeys = await provisionInstance(stack, "vault");
  service = (
    await TrellisService.connect({
      trellisUrl: trellisUrlOf(stack),
      contract: vault,
      name: "vault",
      keys: vaultKeys,
      logger: silentLogger,
    })
  ).orThrow();
  files = (await service.store.files.open()).orThrow();
  const raw = await stack.connectAs(vaultKeys, vault.CONTRACT_DIGEST);
  if ("error" in raw) throw new Error(raw.error);
  vaultRaw = raw.nc;
});

after(async () => {
  await service?.stop();
  await stack?.stop();
});

/** Both handles are typed from the contract: the value from its schema, an optional alias as possibly absent. */
function typed(s: TrellisService<typeof vault>) {
  const notes: KvStore<{ text: string; n?: number | undefined }> = s.kv.notes;
  const cache: KvStore<{ text: string }> | undefined = s.kv.cache;
  const store: ObjectStore = s.store.files;
  // @ts-expect-error an undeclared alias is a compile error
  void s.kv.nope;
  // @ts-expect-error a value must match the schema
  void notes.put("k", { text: 1 });
  return { notes, cache, store };
}

describe("kv resources", () => {
  test("put, get, create and the schema: values are checked both ways, errors name the key and reason", async () => {
    const { notes, cache } = typed(service);
    assert.ok(cache !== undefined, "an optional resource that was materialized is bound");
    const put = (await notes.put("a b.c", { text: "hello" })).orThrow();
    assert.equal(put.key, "a b.c");
    const got = (await notes.get("a b.c")).orThrow();
    assert.deepEqual(got.value, { text: "hello" });
    assert.equal(got.revision, put.revision);

    const exists = await notes.create("a b.c", { text: "again" });
    assert.ok(exists.isErr());
    assertInstanceOf(exists.error, KVError);
    assertMatch(exists.error, { operation: "create", context: { key: "a b.c", reason: "exists" } });

    const missing = await notes.get("nothing");
    assert.ok(missing.isErr());
    assertMatch(missing.error, { operation: "get", context: { key: "nothing", reason: "not found" } });

    const invalid = await notes.put("bad", { text: "" });
    assert.ok(invalid.isErr());
    assertInstanceOf(invalid.error, ValidationError);
    assert.equal(invalid.error.issues[0]?.path, "/text");
    const tooBig = await notes.put("big", { text: "x".repeat(600) });
    assert.ok(tooBig.isErr());
    assertInstanceOf(tooBig.error, ValidationError);
    assert.match(tooBig.error.issues[0]?.message ?? "", /maxValueBytes 512/);
    assert.ok((await notes.get("bad")).isErr(), "nothing was written");
  });

  test("keys are stored in the §6 encoding; a stored value that breaks the schema reads as a ValidationError", async () => {
    const { notes } = typed(service);
    (await notes.put("x y.$z", { text: "encoded" })).orThrow();
    const stream = `KV_${vaultBucket}`;
    const direct = await vaultRaw.request(`$JS.API.DIRECT.GET.${stream}.$KV.${vaultBucket}.x~20~y._$z`, "", {
      timeout: 2000,
    });
    assert.deepEqual(JSON.parse(new TextDecoder().decode(direct.data)), { text: "encoded" });

    await vaultRaw.request(`$KV.${vaultBucket}.raw`, JSON.stringify({ text: "" }), { timeout: 2000 });
    const read = await notes.get("raw");
    assert.ok(read.isErr());
    assertInstanceOf(read.error, ValidationError);
    assert.equal(read.error.issues[0]?.path, "/text");
  });

  test("entry.put(v, true) and entry.delete(true) compare and set on the entry's revision", async () => {
    const { notes } = typed(service);
    const first = (await notes.create("cas", { text: "v1" })).orThrow();
    const second = (await first.put({ text: "v2" }, true)).orThrow();
    const stale = await first.put({ text: "v3" }, true);
    assert.ok(stale.isErr());
    assertMatch(stale.error, { context: { key: "cas", reason: "revision mismatch" } });
    const staleDelete = await first.delete(true);
    assert.ok(staleDelete.isErr());
    assertMatch(staleDelete.error, { operation: "delete", context: { reason: "revision mismatch" } });
    assert.deepEqual((await notes.get("cas")).orThrow().value, { text: "v2" });

    (await second.delete(true)).orThrow();
    const deleted = await notes.get("cas");
    assert.ok(deleted.isErr());
    assertMatch(deleted.error, { context: { reason: "not found" } });
    (await notes.create("cas", { text: "again" })).orThrow(); // a deleted key may be created again
  });

  test("keys(filter) gives back the caller's keys, status reports the binding", async () => {
    const { notes } = typed(service);
    for (const key of ["list.one", "list.two", "list.$x", "list._"]) (await notes.put(key, { text: key })).orThrow();
    (await notes.delete("list.two")).orThrow();
    const keys: string[] = [];
    for await (const key of (await notes.keys("list.*")).orThrow()) keys.push(key);
    assert.deepEqual(keys.sort(), ["list.$x", "list._", "list.one"]);
    const status = (await notes.status()).orThrow();
    assertMatch(status, { history: 2, ttlMs: 0, maxValueBytes: 512 });
    assert.match(status.bucket, /^tr_kv_[0-9a-z]{26}$/);
  });

  test("watch delivers puts and deletes in order, and skips nothing valid", async () => {
    const { notes } = typed(service);
    const watch = (await notes.watch("w.>", { includeCurrent: false })).orThrow();
    const seen: KvChange<{ text: string }>[] = [];
    const done = (async () => {
      for await (const change of watch) {
        seen.push(change);
        if (seen.length === 2) break;
      }
    })();
    (await notes.put("w.1", { text: "one" })).orThrow();
    (await notes.delete("w.1")).orThrow();
    await done;
    assertMatch(seen, [
      { kind: "put", entry: { key: "w.1", value: { text: "one" } } },
      { kind: "delete", key: "w.1" },
    ]);
  });
});

describe("store resources", () => {
  test("put and get bytes with info; create refuses an existing key; delete then get is not_found", async () => {
    const info = (
      await files.put("docs/a.txt", "hello", { contentType: "text/plain", metadata: { owner: "ada" } })
    ).orThrow();
    assertMatch(info, { key: "docs/a.txt", size: 5, contentType: "text/plain", metadata: { owner: "ada" } });
    const entry = (await files.get("docs/a.txt")).orThrow();
    assert.equal(new TextDecoder().decode(entry.data), "hello");
    assert.equal(entry.info.digest, info.digest);

    const again = await files.create("docs/a.txt", "other");
    assert.ok(again.isErr());
    assertInstanceOf(again.error, StoreError);
    assertMatch(again.error, { operation: "create", context: { reason: "already_exists", key: "docs/a.txt" } });

    (await files.delete("docs/a.txt")).orThrow();
    const gone = await files.get("docs/a.txt");
    assert.ok(gone.isErr());
    assertMatch(gone.error, { context: { reason: "not_found" } });
  });

  test("writes over maxObjectBytes are refused and store nothing", async () => {
    const big = await files.put("big.bin", new Uint8Array(1025));
    assert.ok(big.isErr());
    assertMatch(big.error, {
      operation: "put",
      context: { reason: "max_object_bytes_exceeded", maxObjectBytes: 1024 },
    });
    assert.ok((await files.get("big.bin")).isErr());
    (await files.put("edge.bin", new Uint8Array(1024))).orThrow();
  });

  test("list pages in key order under a prefix; bad bounds are StoreErrors", async () => {
    for (const name of ["c", "a", "b", "d", "e"]) (await files.put(`page/${name}`, name)).orThrow();
    (await files.put("other/z", "z")).orThrow();
    const first = (await files.list({ prefix: "page/", limit: 2 })).orThrow();
    assert.deepEqual(
      first.entries.map((e) => e.key),
      ["page/a", "page/b"],
    );
    assertMatch(first, { count: 5, offset: 0, limit: 2, nextOffset: 2 });
    const last = (await files.list({ prefix: "page/", offset: 4, limit: 2 })).orThrow();
    assert.deepEqual(
      last.entries.map((e) => e.key),
      ["page/e"],
    );
    assert.equal(last.nextOffset, undefined);
    for (const [options, reason] of [
      [{ limit: 501 }, "limit_exceeded"],
      [{ limit: 0 }, "invalid_limit"],
      [{ offset: -1 }, "invalid_offset"],
    ] as const) {
      const refused = await files.list(options);
      assert.ok(refused.isErr());
      assertMatch(refused.error, { context: { reason } });
    }
  });

  test("waitFor resolves when the object appears, and times out or aborts otherwise", async () => {
    const waiting = files.waitFor("later.txt", { timeoutMs: 10_000, pollIntervalMs: 20 });
    (await files.put("later.txt", "now")).orThrow();
    assert.equal((await waiting).orThrow().key, "later.txt");

    const timedOut = await files.waitFor("never.txt", { timeoutMs: 100, pollIntervalMs: 20 });
    assert.ok(timedOut.isErr());
    assertMatch(timedOut.error, { operation: "waitFor", context: { reason: "timeout", key: "never.txt" } });
    const controller = new AbortController();
    const aborted = files.waitFor("never.txt", { timeoutMs: 10_000, signal: controller.signal });
    controller.abort();
    const abortedResult = await aborted;
    assert.ok(abortedResult.isErr());
    assertMatch(abortedResult.error, { context: { reason: "aborted" } });
    assert.equal((await files.status()).orThrow().maxObjectBytes, 1024);
  });
});

/** A user session for `contract` as `userId`, approved by the stack's admin. */
async function userSession(userId: string, contract: typeof notesApp | typeof notesAppV2) {
  const keys = await SessionKeys.generate();
  (
    await stack.admin.client.call(rpc()["Auth.Admin.Sessions.Approve"], {
      contract: contract.CONTRACT as never,
      sessionKey: keys.sessionKey,
      userId,
      capabilities: [],
    })
  ).orThrow();
  const client = (
    await TrellisClient.connect({ trellisUrl: trellisUrlOf(stack), contract, keys, logger: silentLogger })
  ).orThrow();
  clients.push(client);
  const raw = await stack.connectAs(keys, contract.CONTRACT_DIGEST);
  if ("error" in raw) throw new Error(raw.error);
  // Calls the client facade would refuse to send: the server's own checks.
  return { client, raw: raw.nc, rpc: new RpcClient(raw.nc, { keys }) };
}

const clients: TrellisClient<typeof notesApp | typeof notesAppV2>[] = [];
const stateRpc = () => stateContract().API.owned.rpc;

describe("state stores through trellis.state@v1", () => {
  let alice: Awaited<ReturnType<typeof userSession>> & { client: TrellisClient<typeof notesApp> };
  let bob: TrellisClient<typeof notesApp>;

  before(async () => {
    alice = (await userSession("alice", notesApp)) as typeof alice;
    bob = (await userSession("bob", notesApp)).client as TrellisClient<typeof notesApp>;
  });
  after(async () => {
    await Promise.allSettled(clients.map((client) => client.stop()));
  });

  test("a value store: put, CAS with null and with a revision, delete; typed from the contract", async () => {
    const prefs = alice.client.state.prefs;
    assert.deepEqual((await prefs.get()).orThrow(), { found: false });
    const first = (await prefs.put({ theme: "dark" })).orThrow();
    assert.ok(first.applied);
    assert.match(first.entry.revision, /^[0-9]+$/);
    assert.equal(first.entry.key, undefined);

    const notAbsent = (await prefs.put({ theme: "light" }, { expectedRevision: null })).orThrow();
    assertMatch(notAbsent, { applied: false, found: true, entry: { value: { theme: "dark" } } });
    const second = (await prefs.put({ theme: "light" }, { expectedRevision: first.entry.revision })).orThrow();
    assert.ok(second.applied);
    const stale = (await prefs.put({ theme: "dark" }, { expectedRevision: first.entry.revision })).orThrow();
    assertMatch(stale, { applied: false, found: true, entry: { revision: second.entry.revision } });

    const read = (await prefs.get()).orThrow();
    assert.ok(read.found && !read.migrationRequired);
    const theme: "light" | "dark" = read.entry.value.theme;
    assert.equal(theme, "light");

    assert.equal((await prefs.delete({ expectedRevision: first.entry.revision })).orThrow(), false);
    assert.equal((await prefs.delete()).orThrow(), true);
    assert.deepEqual((await prefs.get()).orThrow(), { found: false });
    const created = (await prefs.put({ theme: "dark" }, { expectedRevision: null })).orThrow();
    assert.ok(created.applied, "null means create if absent, and a deleted entry is absent");
    // @ts-expect-error a value store takes no key
    void prefs.get("key");
  });

  test("a map store: entries by key, listed in key order with offset, limit and prefix", async () => {
    const drafts = alice.client.state.drafts;
    for (const key of ["b", "a", "c/1", "c/2", "=value", "ünï"]) (await drafts.put(key, { body: key })).orThrow();
    const page = (await drafts.list({ limit: 2 })).orThrow();
    assert.deepEqual(
      page.entries.map((e) => e.key),
      ["=value", "a"],
    );
    assertMatch(page, { count: 6, offset: 0, limit: 2, nextOffset: 2 });
    const rest = (await drafts.list({ offset: 4, limit: 100 })).orThrow();
    assert.deepEqual(
      rest.entries.map((e) => [e.key, e.value.body]),
      [
        ["c/2", "c/2"],
        ["ünï", "ünï"],
      ],
    );
    assert.equal(rest.nextOffset, undefined);
    const prefixed = (await drafts.list({ prefix: "c/" })).orThrow();
    assert.deepEqual(
      prefixed.entries.map((e) => e.key),
      ["c/1", "c/2"],
    );
    assert.equal((await drafts.get("=value")).orThrow().found, true);
    assert.equal((await drafts.get("value")).orThrow().found, false);
  });

  test("limits and shapes are refused with errors naming the field", async () => {
    const refused = async (name: keyof ReturnType<typeof stateRpc>, input: object, path: string) => {
      const result = await alice.rpc.call(stateRpc()[name], input as never);
      assert.ok(result.isErr(), `${name} ${JSON.stringify(input).slice(0, 80)}`);
      assertInstanceOf(result.error, ValidationError);
      assert.deepEqual(
        result.error.issues.map((issue) => issue.path),
        [path],
      );
      return result.error;
    };
    await refused("State.Get", { store: "prefs", key: "k" }, "/key");
    await refused("State.Get", { store: "drafts" }, "/key");
    await refused("State.Get", { store: "nope" }, "/store");
    assert.match(
      (await refused("State.Put", { store: "drafts", key: "é".repeat(257), value: { body: "" } }, "/key")).issues[0]!
        .message,
      /514 bytes/,
    );
    (await alice.client.state.drafts.put("k".repeat(512), { body: "at the limit" })).orThrow();
    await refused("State.Put", { store: "drafts", key: "big", value: { body: "x".repeat(64 * 1024) } }, "/value");
    await refused("State.Put", { store: "drafts", key: "typed", value: { body: 1 } }, "/value");
    await refused("State.List", { store: "prefs", limit: 10 }, "/store");
    const tooMany = await alice.client.state.drafts.list({ limit: 101 });
    assert.ok(tooMany.isErr());
    assertInstanceOf(tooMany.error, ValidationError);
    assert.equal(tooMany.error.issues[0]?.path, "/limit");
  });

  test("an entry with ttlMs reads as absent once expired, and may then be created again", async () => {
    const drafts = alice.client.state.drafts;
    const put = (await drafts.put("short", { body: "soon gone" }, { ttlMs: 200 })).orThrow();
    assert.ok(put.applied && put.entry.expiresAt !== undefined);
    assert.equal((await drafts.get("short")).orThrow().found, true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal((await drafts.get("short")).orThrow().found, false);
    assert.ok(!(await drafts.list({ prefix: "short" })).orThrow().entries.length);
    assert.ok((await drafts.put("short", { body: "back" }, { expectedRevision: null })).orThrow().applied);
  });

  test("owners are isolated: another user of the same contract sees none of it", async () => {
    (await alice.client.state.prefs.put({ theme: "dark" })).orThrow();
    assert.deepEqual((await bob.state.prefs.get()).orThrow(), { found: false });
    assert.equal((await bob.state.drafts.list()).orThrow().count, 0);
    (await bob.state.drafts.put("a", { body: "bob's" })).orThrow();
    const alices = (await alice.client.state.drafts.get("a")).orThrow();
    assert.ok(alices.found && !alices.migrationRequired && alices.entry.value.body === "a");
  });

  test("a later digest of the lineage with a new stateVersion reads older entries as migration-required", async () => {
    (await alice.client.state.prefs.put({ theme: "light" })).orThrow();
    const later = (await userSession("alice", notesAppV2)).client as TrellisClient<typeof notesAppV2>;
    const read = (await later.state.prefs.get()).orThrow();
    assert.ok(read.found && read.migrationRequired);
    assertMatch(read, {
      stateVersion: "v1",
      currentStateVersion: "v2",
      writerContractDigest: notesApp.CONTRACT_DIGEST,
      entry: { value: { theme: "light" } },
    });
    const migrated = (
      await later.state.prefs.put({ theme: "light", fontSize: 14 }, { expectedRevision: read.entry.revision })
    ).orThrow();
    assert.ok(migrated.applied);
    const now = (await later.state.prefs.get()).orThrow();
    assert.ok(now.found && !now.migrationRequired && now.entry.value.fontSize === 14);
    // The map store kept its version: its entries read as current in both digests.
    assert.equal((await later.state.drafts.get("a")).orThrow().migrationRequired, false);
  });
});

describe("least privilege", () => {
  test("a service reaches its own bucket only: not another service's, not trellis_state", async () => {
    const probe = new PermissionProbe(vaultRaw);
    const stream = `KV_${neighbourBucket}`;
    for (const subject of [
      `$KV.${neighbourBucket}.k`,
      `$JS.API.DIRECT.GET.${stream}.$KV.${neighbourBucket}.k`,
      `$JS.API.STREAM.MSG.GET.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}`,
      `$JS.API.STREAM.INFO.${stream}`,
      "$KV.trellis_state.user.alice.k",
      "$JS.API.DIRECT.GET.KV_trellis_state.$KV.trellis_state.user.alice.k",
      "$JS.API.STREAM.INFO.KV_trellis_state",
      "rpc.v1.State.Get",
    ]) {
      assert.deepEqual({ subject, allowed: await probe.canPublish(subject) }, { subject, allowed: false });
    }
    assert.equal(await probe.canPublish(`$KV.${vaultBucket}.k`), true);
  });

  test("a client reaches state only through the RPCs, and no service bucket", async () => {
    const user = await userSession("carol", notesApp);
    const probe = new PermissionProbe(user.raw);
    for (const subject of [
      "$KV.trellis_state.user.carol.k",
      "$JS.API.DIRECT.GET.KV_trellis_state.$KV.trellis_state.user.carol.k",
      "$JS.API.CONSUMER.CREATE.KV_trellis_state",
      `$KV.${vaultBucket}.k`,
      `$JS.API.DIRECT.GET.KV_${vaultBucket}.$KV.${vaultBucket}.k`,
    ]) {
      assert.deepEqual({ subject, allowed: await probe.canPublish(subject) }, { subject, allowed: false });
    }
    assert.equal(await probe.canPublish("rpc.v1.State.Get"), true);
  });
});
