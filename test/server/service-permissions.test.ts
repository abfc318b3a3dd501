import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { NatsConnection } from "@nats-io/nats-core";
import { inboxPrefix } from "../../src/contracts/index.ts";
import { SessionKeys } from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { concreteSubject, PermissionProbe } from "../support/permission-probe.ts";
import { approveService, provisionInstance } from "./admin-helpers.ts";
import { echoContract, otherContract } from "./fixtures.ts";

let stack: LocalStack;
let nc: NatsConnection;
let keys: SessionKeys;
let probe: PermissionProbe;
let approval: Awaited<ReturnType<typeof approveService>>["approval"];

beforeAll(async () => {
  stack = await startLocalStack();
  await approveService(stack, "other", otherContract.CONTRACT);
  approval = (await approveService(stack, "echo", echoContract().CONTRACT)).approval;
  keys = await provisionInstance(stack, "echo");
  const connected = await stack.connectAs(keys, echoContract().CONTRACT_DIGEST);
  if ("error" in connected) throw new Error(connected.error);
  nc = connected.nc;
  probe = new PermissionProbe(nc);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("a connected service holds exactly its contract's subjects", () => {
  test("the approval is the contract's rules and bindings, and nothing broad", () => {
    expect(approval.publishSubjects).toEqual([
      "events.v1.Echo.Pinged.*",
      "events.v1.Health.Heartbeat",
      "rpc.v1.Auth.Requests.Validate",
      "rpc.v1.Other.Used",
    ]);
    expect(approval.subscribeSubjects).toEqual([
      "events.v1.Auth.Sessions.Revoked",
      "events.v1.Echo.Pinged.*",
      "events.v1.Other.Happened",
      "rpc.v1.Echo.Ping",
      "rpc.v1.Echo.Secret",
    ]);
    const consumer = approval.bindings.find((b) => b.kind === "eventConsumer")!.resource;
    const bucket = approval.bindings.find((b) => b.kind === "kv")!.resource;
    expect(approval.bindingPublishSubjects).toContain(`$JS.API.CONSUMER.MSG.NEXT.trellis.${consumer}`);
    expect(approval.bindingPublishSubjects).toContain(`$JS.ACK.trellis.${consumer}.>`);
    expect(approval.bindingPublishSubjects).toContain(`$KV.${bucket}.>`);
    // jobs.md §14, exactly: the namespace `echo` (its deployment id) and its one queue `reindex`.
    const jobs = approval.bindingPublishSubjects.filter((s) => s.includes("JOBS") || s.startsWith("trellis."));
    expect(jobs).toEqual([
      "$JS.ACK.JOBS_WORK.echo-reindex.>",
      "$JS.API.CONSUMER.CREATE.JOBS_WORK.echo-reindex.trellis.work.echo.reindex",
      "$JS.API.CONSUMER.INFO.JOBS_WORK.echo-reindex",
      "$JS.API.CONSUMER.MSG.NEXT.JOBS_WORK.echo-reindex",
      "$JS.API.DIRECT.GET.JOBS.trellis.jobs.echo.>",
      "trellis.jobs.echo.>",
      "trellis.jobs.workers.echo.>",
    ]);
    expect(approval.bindingSubscribeSubjects).toEqual(["trellis.jobs.echo.reindex.*.*"]);
    for (const subject of [
      ...approval.publishSubjects,
      ...approval.bindingPublishSubjects,
      ...approval.subscribeSubjects,
    ]) {
      expect(subject === ">" || subject.startsWith("_INBOX") || /^\$JS\.API\.>$/.test(subject)).toBe(false);
      expect(subject).not.toMatch(/^\$(SYS|JS\.API)\.>$/);
    }
  });

  test("every granted publish subject is accepted by the server", async () => {
    // Replay claims are granted per connection by the callout (like the inbox), not stored in the approval.
    for (const pattern of [...approval.publishSubjects, ...approval.bindingPublishSubjects, "$KV.trellis_replay.*"]) {
      expect({ pattern, allowed: await probe.canPublish(concreteSubject(pattern)) }).toEqual({
        pattern,
        allowed: true,
      });
    }
  });

  test("every granted subscribe subject, and the session's inbox, is accepted", async () => {
    for (const pattern of [
      ...approval.subscribeSubjects,
      ...approval.bindingSubscribeSubjects,
      `${inboxPrefix(keys.sessionKey)}.>`,
    ]) {
      expect({ pattern, allowed: await probe.canSubscribe(pattern) }).toEqual({ pattern, allowed: true });
    }
  });

  test("near misses are refused with a permissions violation", async () => {
    const someoneElse = inboxPrefix((await SessionKeys.generate()).sessionKey);
    const publish = [
      "rpc.v1.Other.Sibling", // a sibling RPC it did not `use`
      "events.v1.Other.Happened", // another service's event
      "$JS.API.STREAM.LIST",
      "$JS.API.STREAM.INFO.trellis",
      "$JS.API.CONSUMER.CREATE.trellis",
      "$JS.API.STREAM.CREATE.mine",
      "rpc.v1.Echo.Ping", // its own RPC: it serves it, it does not call it
      `${someoneElse}.steal`,
      "$SYS.REQ.SERVER.PING",
      "events.v1.Echo",
      // The replay cache: claims only, nothing to read, list or purge with.
      "$KV.trellis_replay.a.b",
      "$JS.API.DIRECT.GET.KV_trellis_replay.$KV.trellis_replay.x",
      "$JS.API.STREAM.MSG.GET.KV_trellis_replay",
      "$JS.API.STREAM.PURGE.KV_trellis_replay",
      "$JS.API.CONSUMER.CREATE.KV_trellis_replay",
      // Jobs (§14): another namespace, the work stream, stream info, body-form gets, durable create.
      "trellis.jobs.other.reindex.01J.created",
      "trellis.jobs.workers.other.reindex.i.heartbeat",
      "trellis.work.echo.reindex",
      "trellis.work.other.x",
      "$JS.API.STREAM.INFO.JOBS",
      "$JS.API.STREAM.INFO.JOBS_WORK",
      "$JS.API.STREAM.MSG.GET.JOBS",
      "$JS.API.STREAM.MSG.GET.JOBS_WORK",
      "$JS.API.STREAM.PURGE.JOBS",
      "$JS.API.DIRECT.GET.JOBS",
      "$JS.API.DIRECT.GET.JOBS.trellis.jobs.other.reindex.01J.completed",
      "$JS.API.CONSUMER.DURABLE.CREATE.JOBS_WORK.echo-reindex",
      "$JS.API.CONSUMER.CREATE.JOBS_WORK",
      "$JS.API.CONSUMER.CREATE.JOBS_WORK.other-reindex.trellis.work.other.reindex",
      "$JS.API.CONSUMER.CREATE.JOBS_WORK.echo-reindex.trellis.work.other.reindex",
      "$JS.API.CONSUMER.CREATE.JOBS.echo-reindex",
      "$JS.API.CONSUMER.DELETE.JOBS_WORK.echo-reindex",
      "$JS.API.CONSUMER.MSG.NEXT.JOBS_WORK.other-reindex",
      "$JS.ACK.JOBS_WORK.other-reindex.1.1.1.1.1",
    ];
    const subscribe = [
      "_INBOX.>",
      `${someoneElse}.>`,
      "events.v1.Other.Private", // another service's event it does not use
      "rpc.v1.Other.Used", // serving someone else's RPC
      ">",
      "events.>",
      "$JS.API.>",
      "$KV.trellis_replay.>",
      "trellis.jobs.>",
      "trellis.jobs.other.reindex.*.*",
      "trellis.jobs.echo.other.*.*",
      "trellis.work.>",
    ];
    for (const subject of publish) {
      expect({ subject, allowed: await probe.canPublish(subject) }).toEqual({ subject, allowed: false });
    }
    for (const subject of subscribe) {
      expect({ subject, allowed: await probe.canSubscribe(subject) }).toEqual({ subject, allowed: false });
    }
  });

  test("the granted JetStream subjects work end to end: publish with PubAck, pull from the group, kv put", async () => {
    const decoder = new TextDecoder();
    const ack = await nc.request("events.v1.Echo.Pinged.hello", JSON.stringify({ text: "hello" }), { timeout: 2000 });
    expect(JSON.parse(decoder.decode(ack.data))).toMatchObject({ stream: "trellis" });

    const consumer = approval.bindings.find((b) => b.kind === "eventConsumer")!.resource;
    // The group's deliver policy is `new`: the event published after its creation is there. A pull
    // delivery carries the event's own subject, so it needs its own inbox (as the runtime's PullConsumer does).
    const next = await nc.request(
      `$JS.API.CONSUMER.MSG.NEXT.trellis.${consumer}`,
      JSON.stringify({ batch: 1, expires: 1_000_000_000 }),
      { timeout: 3000, noMux: true },
    );
    expect(next.subject).toStartWith("events.v1.Echo.Pinged."); // the probe above published one first
    expect(next.reply).toStartWith(`$JS.ACK.trellis.${consumer}.`);
    next.respond(); // ack

    const bucket = approval.bindings.find((b) => b.kind === "kv")!.resource;
    const put = await nc.request(`$KV.${bucket}.note`, JSON.stringify({ text: "x" }), { timeout: 2000 });
    expect(JSON.parse(decoder.decode(put.data))).toMatchObject({ stream: `KV_${bucket}` });
  });
});
