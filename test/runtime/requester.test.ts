import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { NatsConnection } from "@nats-io/nats-core";
import { Requester } from "../../src/runtime/wire/requester.ts";
import { RuntimeEnv } from "./support/runtime-env.ts";

/**
 * The runtime's request/reply (wire/requester.ts): every request settles
 * exactly once — with the reply, no responders, a timeout, an abort, or the
 * connection closing — and never rejects; a late reply is dropped.
 */
describe("Requester", () => {
  let env: RuntimeEnv;
  let nc: NatsConnection;
  let responder: NatsConnection;
  const body = new TextEncoder().encode("ping");

  before(async () => {
    env = await RuntimeEnv.start({ stream: false });
    nc = (await env.principal("caller", [])).nc;
    responder = await env.connectRaw();
    responder.subscribe("echo", { callback: (_e, msg) => void msg.respond(msg.data) });
    responder.subscribe("slow", { callback: (_e, msg) => void setTimeout(() => msg.respond(msg.data), 150) });
    await responder.flush();
  });
  after(async () => {
    await env?.stop();
  });

  test("a reply settles it, on the connection's own inbox prefix", async () => {
    const reply = await new Requester(nc).request("echo", body, { timeoutMs: 2000 });
    assert.ok(reply.isOk());
    assert.equal(new TextDecoder().decode(reply.value.data), "ping");
    const prefix = (nc as NatsConnection & { options: { inboxPrefix: string } }).options.inboxPrefix;
    assert.ok(reply.value.subject.startsWith(`${prefix}.`));
  });

  test("nobody listening is no_responders; no reply in time is a timeout, and the late reply is dropped", async () => {
    const requester = new Requester(nc);
    const nobody = await requester.request("nobody.here", body, { timeoutMs: 2000 });
    assert.deepEqual(nobody.isErr() && nobody.error.kind, "no_responders");
    const slow = await requester.request("slow", body, { timeoutMs: 40 });
    assert.deepEqual(slow.isErr() && slow.error.kind, "timeout");
    await new Promise((resolve) => setTimeout(resolve, 200)); // the late reply arrives and finds nothing pending
    const next = await requester.request("echo", body, { timeoutMs: 2000 });
    assert.ok(next.isOk());
  });

  test("an abort settles at once; an already aborted signal sends nothing", async () => {
    const requester = new Requester(nc);
    const controller = new AbortController();
    const pending = requester.request("slow", body, { timeoutMs: 5000, signal: controller.signal });
    controller.abort();
    const aborted = await pending;
    assert.deepEqual(aborted.isErr() && aborted.error.kind, "aborted");
    const early = await requester.request("echo", body, { timeoutMs: 5000, signal: controller.signal });
    assert.deepEqual(early.isErr() && early.error.kind, "aborted");
  });

  test("closing the connection settles what is pending as closed; later requests are closed too", async () => {
    const own = await env.connectRaw();
    const requester = new Requester(own);
    const pending = requester.request("slow", body, { timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await own.close();
    const closed = await pending;
    assert.deepEqual(closed.isErr() && closed.error.kind, "closed");
    const after = await requester.request("echo", body, { timeoutMs: 1000 });
    assert.deepEqual(after.isErr() && after.error.kind, "closed");
  });
});
