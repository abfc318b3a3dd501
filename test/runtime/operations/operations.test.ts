import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createInbox } from "@nats-io/nats-core";
import {
  AuthError,
  OperationAlreadyTerminalError,
  OperationMismatchError,
  OperationNotFoundError,
  Result,
  ValidationError,
  type OperationEvent,
} from "../../../src/runtime/index.ts";
import { signRequest } from "../../../src/runtime/auth/request-proof.ts";
import { buildHeaders } from "../../../src/runtime/wire/headers.ts";
import { assertInstanceOf } from "../../support/assert.ts";
import { deferred, OperationEnv, sleep, type ShippingService } from "./operation-env.ts";

type Events = OperationEvent<{ percent: number }, { trackingId: string }>[];
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Operations on a real nats-server (operations.md §10 invariants 1-13;
 * 6 with small injected intervals): services of acme.shipping@v1 over one
 * operation-state bucket, callers as principals of their own.
 */
describe("operations: start, control, ownership, signals, deferral, any instance", () => {
  let env: OperationEnv;
  let service: ShippingService;
  let alice: Awaited<ReturnType<OperationEnv["caller"]>>;
  let bob: Awaited<ReturnType<OperationEnv["caller"]>>;
  const gates = new Map<string, { promise: Promise<void>; resolve: (value: void) => void }>();
  const gate = (id: string) => gates.get(id) ?? gates.set(id, deferred<void>()).get(id)!;
  const seenDurable: boolean[] = [];

  before(async () => {
    env = await OperationEnv.start();
    service = await env.service();
    (
      await service.handle.operation.parcels.ship(async ({ input, op }) => {
        seenDurable.push((await env.kv.get(`rec.${op.id}`)) !== null);
        if (input.mode === "defer") return op.defer();
        if (input.mode === "signals") {
          const first = (await op.nextSignal("hurry")).orThrow();
          const second = (await op.nextSignal()).orThrow();
          return Result.ok({
            trackingId: `${first.sequence}:${first.input.reason},${second.sequence}:${second.input.reason}`,
          });
        }
        if (input.mode === "gate") await gate(input.id).promise;
        if (input.mode === "fail") return Result.err(new ValidationError([{ path: "/x", message: "domain says no" }]));
        (await op.progress({ percent: 50 })).orThrow();
        if (input.mode === "slow") await gate(input.id).promise;
        if (op.cancelled) return op.complete({ trackingId: "never" });
        return Result.ok({ trackingId: `T-${input.id}` });
      })
    ).orThrow();
    (await service.handle.operation.parcels.weigh(({ input }) => Result.ok({ trackingId: input.id }))).orThrow();
    alice = await env.caller("alice");
    bob = await env.caller("bob");
  });
  after(async () => {
    for (const g of gates.values()) g.resolve();
    await env?.stop();
  });

  test("start answers once with an accepted ref; the handler runs after the record is durable (inv. 1)", async () => {
    const ref = (await alice.client.operation.parcels.ship.start({ id: "p1" })).orThrow();
    assert.match(ref.id, ULID);
    assert.deepEqual([ref.service, ref.operation], ["acme.shipping@v1", "Parcels.Ship"]);
    const done = (await ref.wait()).orThrow();
    assert.equal(done.state, "completed");
    assert.deepEqual(done.output, { trackingId: "T-p1" });
    assert.ok(seenDurable.length > 0 && seenDurable.every(Boolean));
    // The builder form starts the same way.
    const built = (await alice.client.operation.parcels.ship.input({ id: "p1b" }).start()).orThrow();
    assert.equal((await built.wait()).orThrow().state, "completed");
    // The accepted event is the first one stored, revision 1 pending.
    const first = await env.kv.get(`evt.${ref.id}.1`);
    const stored = first!.json<{
      sequence: number;
      event: { type: string; snapshot: { revision: number; state: string } };
    }>();
    assert.deepEqual(
      [stored.sequence, stored.event.type, stored.event.snapshot.revision, stored.event.snapshot.state],
      [1, "accepted", 1, "pending"],
    );
  });

  test("invalid input and missing capabilities are RPC errors; nothing is stored", async () => {
    const before = (await env.keys("rec.")).length;
    const bad = await alice.client.operation.parcels.ship.start({ id: 5 } as never);
    assertInstanceOf(bad.isErr() && bad.error, ValidationError);
    const weak = await env.caller("weak", []);
    const denied = await weak.client.operation.parcels.ship.start({ id: "p" });
    assert.ok(denied.isErr());
    assertInstanceOf(denied.error, AuthError);
    assert.equal(denied.error.reason, "insufficient_permissions");
    assert.equal((await env.keys("rec.")).length, before);
  });

  test("watch: initial snapshot, ordered events with sequence = revision, started before progress, nothing after the terminal (inv. 2, 3, 5)", async () => {
    const ref = (await alice.client.operation.parcels.ship.start({ id: "w1", mode: "gate" })).orThrow();
    const feed = (await ref.watch()).orThrow();
    const events: Events = [];
    gate("w1").resolve();
    for await (const event of feed) events.push(event as Events[number]);
    assert.deepEqual(
      events.map((e) => e.type),
      ["started", "progress", "completed"],
    );
    for (const [i, event] of events.entries()) {
      if (i > 0) assert.equal(event.snapshot.revision, events[i - 1]!.snapshot.revision + 1);
    }
    const progress = events.find((e) => e.type === "progress")!;
    assert.ok(progress.type === "progress");
    assert.deepEqual(progress.progress, { percent: 50 });
    assert.deepEqual(progress.snapshot.progress, { percent: 50 });
    const evt = await env.keys(`evt.${ref.id}.`);
    assert.equal(evt.length, 4);
    const snapshot = (await ref.get()).orThrow();
    assert.deepEqual([snapshot.revision, snapshot.state], [4, "completed"]);
    assert.ok(snapshot.completedAt !== undefined);
    // Watching a terminal operation ends at once.
    const again: unknown[] = [];
    for await (const event of (await ref.watch()).orThrow()) again.push(event);
    assert.deepEqual(again, []);
  });

  test("a failing handler fails the operation (Result.err): domain failure is a failed snapshot", async () => {
    const ref = (await alice.client.operation.parcels.ship.start({ id: "f1", mode: "fail" })).orThrow();
    const done = (await ref.wait({ includeProgress: true })).orThrow();
    assert.equal(done.state, "failed");
    assert.equal(done.error?.type, "ValidationError");
    assert.equal(done.output, undefined);
  });

  test("terminal snapshots never change: cancel, signal and handle mutations are OperationAlreadyTerminalError (inv. 4)", async () => {
    const ref = (await alice.client.operation.parcels.ship.start({ id: "t1" })).orThrow();
    const done = (await ref.wait()).orThrow();
    const cancel = await ref.cancel();
    assertInstanceOf(cancel.isErr() && cancel.error, OperationAlreadyTerminalError);
    const signal = await ref.signal("hurry", { reason: "late" });
    assertInstanceOf(signal.isErr() && signal.error, OperationAlreadyTerminalError);
    const control = (await service.handle.operation.parcels.ship.control(ref.id)).orThrow();
    const complete = await control.complete({ trackingId: "again" });
    assertInstanceOf(complete.isErr() && complete.error, OperationAlreadyTerminalError);
    assert.deepEqual((await ref.get()).orThrow(), done);
  });

  test("another principal is forbidden for every action; the caps of each action are enforced (inv. 8)", async () => {
    const ref = (await alice.client.operation.parcels.ship.start({ id: "o1", mode: "gate" })).orThrow();
    const theirs = bob.client.operation.parcels.ship.resume(ref.id);
    for (const result of [
      await theirs.get(),
      await theirs.wait(),
      await theirs.watch(),
      await theirs.cancel(),
      await theirs.signal("hurry", { reason: "x" }),
    ]) {
      assert.ok(result.isErr());
      assertInstanceOf(result.error, AuthError);
      assert.equal(result.error.reason, "forbidden");
    }
    // Observe defaults to call; without it even the owner principal is refused (another session, no caps).
    const weakAlice = await env.caller("alice", []);
    const observed = await weakAlice.client.operation.parcels.ship.resume(ref.id).get();
    assertInstanceOf(observed.isErr() && observed.error, AuthError);
    assert.equal(
      observed.isErr() && observed.error instanceof AuthError && observed.error.reason,
      "insufficient_permissions",
    );
    // Another session of the same principal passes ownership.
    const alice2 = await env.caller("alice");
    assert.equal((await alice2.client.operation.parcels.ship.resume(ref.id).get()).orThrow().id, ref.id);
    gate("o1").resolve();
    assert.equal((await ref.wait()).orThrow().state, "completed");
  });

  test("a reply subject outside the caller's inbox prefix receives nothing (inv. 7)", async () => {
    const ref = (await alice.client.operation.parcels.ship.start({ id: "r1" })).orThrow();
    await ref.wait();
    const raw = await env.env.connectRaw();
    const foreign = createInbox("_INBOX.someoneelse00000");
    const received: unknown[] = [];
    const sub = raw.subscribe(foreign, { callback: (_e, msg) => void received.push(msg.data) });
    const subject = "operations.v1.Parcels.Ship.control";
    const body = new TextEncoder().encode(JSON.stringify({ action: "get", operationId: ref.id }));
    const proof = await signRequest(alice.principal.keys, {
      subject,
      body,
      iat: Math.floor(Date.now() / 1000),
      requestId: "01HZZZZZZZZZZZZZZZZZZZZZZZ",
    });
    raw.publish(subject, body, { reply: foreign, headers: buildHeaders({ ...proof }) });
    await raw.flush();
    await sleep(300);
    sub.unsubscribe();
    assert.deepEqual(received, []);
  });

  test("cancel on a non-cancellable operation is a ValidationError and changes nothing (inv. 9); cancel works when declared", async () => {
    const weighed = (await alice.client.operation.parcels.weigh.start({ id: "w" })).orThrow();
    const done = (await weighed.wait()).orThrow();
    const refused = await weighed.cancel();
    assertInstanceOf(refused.isErr() && refused.error, ValidationError);
    assert.equal(
      refused.isErr() && refused.error instanceof ValidationError && refused.error.issues[0]?.path,
      "/action",
    );
    assert.deepEqual((await weighed.get()).orThrow(), done);

    const ref = (await alice.client.operation.parcels.ship.start({ id: "c1", mode: "slow" })).orThrow();
    const cancelled = (await ref.cancel()).orThrow();
    assert.equal(cancelled.state, "cancelled");
    gate("c1").resolve();
    // The handler saw `cancelled` and its complete was refused: the snapshot stays cancelled.
    await sleep(200);
    assert.equal((await ref.get()).orThrow().state, "cancelled");
  });

  test("signals: unknown or invalid ones are rejected and not stored; accepted ones are ordered, reach the handler in order, and keep the revision (inv. 10)", async () => {
    const ref = (await alice.client.operation.parcels.ship.start({ id: "s1", mode: "signals" })).orThrow();
    const before = (await ref.get()).orThrow().revision;
    const unknown = await ref.signal("nope" as never, { reason: "x" } as never);
    assertInstanceOf(unknown.isErr() && unknown.error, ValidationError);
    const invalid = await ref.signal("hurry", { reason: 3 } as never);
    assertInstanceOf(invalid.isErr() && invalid.error, ValidationError);
    assert.deepEqual(await env.keys(`sig.${ref.id}.`), []);
    (await ref.signal("hurry", { reason: "a" })).orThrow();
    (await ref.signal("hurry", { reason: "b" })).orThrow();
    assert.deepEqual(await env.keys(`sig.${ref.id}.`), [`sig.${ref.id}.1`, `sig.${ref.id}.2`]);
    const done = (await ref.wait()).orThrow();
    assert.deepEqual(done.output, { trackingId: "1:a,2:b" });
    // accepted, started? no: complete from pending (revision 2); signals added no revision.
    assert.equal(done.revision, before + 1);
  });

  test("a deferred operation stays non-terminal until control by id finishes it; wrong key and unknown id (inv. 11)", async () => {
    const ref = (await alice.client.operation.parcels.ship.start({ id: "d1", mode: "defer" })).orThrow();
    await sleep(200);
    const pending = (await ref.get()).orThrow();
    assert.equal(pending.state, "pending");
    const record = (await env.kv.get(`rec.${ref.id}`))!.json<{ deferred?: boolean }>();
    assert.equal(record.deferred, true);
    const control = (await service.handle.operation.parcels.ship.control(ref.id)).orThrow();
    (await control.started()).orThrow();
    (await control.progress({ percent: 90 })).orThrow();
    const invalid = await control.progress({ percent: "x" } as never);
    assertInstanceOf(invalid.isErr() && invalid.error, ValidationError);
    (await control.complete({ trackingId: "late" })).orThrow();
    const done = (await ref.wait()).orThrow();
    assert.deepEqual([done.state, done.revision, done.output], ["completed", 4, { trackingId: "late" }]);

    const mismatch = await service.handle.operation.parcels.weigh.control(ref.id);
    assertInstanceOf(mismatch.isErr() && mismatch.error, OperationMismatchError);
    const missing = await service.handle.operation.parcels.ship.control("01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assertInstanceOf(missing.isErr() && missing.error, OperationNotFoundError);
    const mismatchOnWire = await alice.client.operation.parcels.weigh.resume(ref.id).get();
    assertInstanceOf(mismatchOnWire.isErr() && mismatchOnWire.error, OperationMismatchError);
    const notFound = await alice.client.operation.parcels.ship.resume("01ARZ3NDEKTSV4RRFFQ69G5FAV").get();
    assertInstanceOf(notFound.isErr() && notFound.error, OperationNotFoundError);
  });

  test("concurrent transitions never lose or duplicate a revision (inv. 13)", async () => {
    const ref = (await alice.client.operation.parcels.ship.start({ id: "k1", mode: "defer" })).orThrow();
    await sleep(100);
    const one = (await service.handle.operation.parcels.ship.control(ref.id)).orThrow();
    const other = await env.service();
    const two = (await other.handle.operation.parcels.ship.control(ref.id)).orThrow();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? one : two).progress({ percent: i })),
    );
    for (const result of results) result.orThrow();
    const keys = await env.keys(`evt.${ref.id}.`);
    // accepted + started + 12 progress, one key per revision.
    assert.equal(keys.length, 14);
    const revisions = keys.map((k) => Number(k.split(".")[2])).sort((a, b) => a - b);
    assert.deepEqual(
      revisions,
      Array.from({ length: 14 }, (_, i) => i + 1),
    );
    const snapshot = (await ref.get()).orThrow();
    assert.equal(snapshot.revision, 14);
    (await two.complete({ trackingId: "k" })).orThrow();
  });

  test("any instance answers for any operation, also after the accepting one stops (inv. 12)", async () => {
    const first = await env.service();
    const second = await env.service();
    (await first.handle.operation.parcels.ship(({ op }) => op.defer())).orThrow();
    (await second.handle.operation.parcels.ship(({ op }) => op.defer())).orThrow();
    // A second handler on one instance is refused.
    assert.ok((await first.handle.operation.parcels.ship(({ op }) => op.defer())).isErr());
    const ref = (await alice.client.operation.parcels.ship.start({ id: "a1", mode: "defer" })).orThrow();
    await service.stop();
    await first.stop();
    // Only the last instance is left: get, signal, cancel and wait all still work.
    assert.equal((await ref.get()).orThrow().state, "pending");
    (await ref.signal("hurry", { reason: "x" })).orThrow();
    const waiting = ref.wait();
    const cancelled = (await ref.cancel()).orThrow();
    assert.equal(cancelled.state, "cancelled");
    assert.equal((await waiting).orThrow().state, "cancelled");
  });
});

describe("operations: keepalives and stream expiry (inv. 6, small injected intervals)", () => {
  let env: OperationEnv;

  before(async () => {
    env = await OperationEnv.start();
  });
  after(async () => {
    await env?.stop();
  });

  test("keepalives carry no data and are spaced; streams end with stream_expired and clients resume transparently", async () => {
    const service = await env.service({ operations: { keepaliveMs: 150, streamLifetimeMs: 700 } });
    (await service.handle.operation.parcels.ship(({ op }) => op.defer())).orThrow();
    const caller = await env.caller("carol");
    const ref = (await caller.client.operation.parcels.ship.start({ id: "k" })).orThrow();

    // Raw frames of one wait stream, to see the keepalives and the expiry.
    const raw = caller.principal.nc;
    const inbox = createInbox(`_INBOX.${caller.principal.keys.sessionKey.slice(0, 16)}`);
    const frames: { at: number; body: string }[] = [];
    const sub = raw.subscribe(inbox, {
      callback: (_e, msg) => void frames.push({ at: Date.now(), body: msg.string() }),
    });
    const subject = "operations.v1.Parcels.Ship.control";
    const body = new TextEncoder().encode(JSON.stringify({ action: "wait", operationId: ref.id }));
    const proof = await signRequest(caller.principal.keys, {
      subject,
      body,
      iat: Math.floor(Date.now() / 1000),
      requestId: "01HZZZZZZZZZZZZZZZZZZZZZZY",
    });
    raw.publish(subject, body, { reply: inbox, headers: buildHeaders({ ...proof }) });
    await sleep(1100);
    sub.unsubscribe();
    const keepalives = frames.filter((f) => f.body === '{"kind":"keepalive"}');
    assert.ok(keepalives.length >= 2, JSON.stringify(frames));
    for (let i = 1; i < keepalives.length; i++) assert.ok(keepalives[i]!.at - keepalives[i - 1]!.at >= 100);
    const last = JSON.parse(frames.at(-1)!.body) as { kind: string; error?: { type: string; code: string } };
    assert.deepEqual(
      [last.kind, last.error?.type, last.error?.code],
      ["error", "TransportError", "trellis.operation.stream_expired"],
    );

    // The client hides the expiry: wait() outlives several streams and returns the terminal snapshot.
    const waiting = ref.wait();
    await sleep(1600);
    const control = (await service.handle.operation.parcels.ship.control(ref.id)).orThrow();
    (await control.complete({ trackingId: "done" })).orThrow();
    const done = (await waiting).orThrow();
    assert.deepEqual([done.state, done.output], ["completed", { trackingId: "done" }]);
  });

  test("watch resumes across expiries and sees every event in order", async () => {
    const service = await env.service({ operations: { keepaliveMs: 150, streamLifetimeMs: 600 } });
    (await service.handle.operation.parcels.ship(({ op }) => op.defer())).orThrow();
    const caller = await env.caller("dave");
    const ref = (await caller.client.operation.parcels.ship.start({ id: "k" })).orThrow();
    const control = (await service.handle.operation.parcels.ship.control(ref.id)).orThrow();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of (await ref.watch()).orThrow()) seen.push(`${event.snapshot.revision}:${event.type}`);
    })();
    await sleep(100);
    (await control.started()).orThrow();
    await sleep(800);
    (await control.progress({ percent: 10 })).orThrow();
    await sleep(800);
    (await control.complete({ trackingId: "w" })).orThrow();
    await reading;
    assert.deepEqual(seen, ["2:started", "3:progress", "4:completed"]);
  });
});
