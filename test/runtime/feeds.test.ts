import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ulid } from "ulid";
import {
  AuthError,
  createLogger,
  Result,
  SessionKeys,
  signRequest,
  TransportError,
  UnexpectedError,
  ValidationError,
} from "../../src/runtime/index.ts";
import { FeedClient } from "../../src/runtime/feeds/feed-client.ts";
import { TrellisClient } from "../../src/runtime/client/trellis-client.ts";
import { TrellisService } from "../../src/runtime/service/trellis-service.ts";
import { buildHeaders } from "../../src/runtime/wire/headers.ts";
import { inboxPrefix } from "../../src/contracts/index.ts";
import { greeter, greeterApp } from "./fixtures/greeter.ts";
import { RuntimeEnv, type Principal } from "./support/runtime-env.ts";
import { assertIncludes, assertInstanceOf } from "../support/assert.ts";

const quiet = createLogger({ level: "silent" });
const ticks = greeter.API.owned.feeds["Greeter.Ticks"];

describe("feeds", () => {
  let env: RuntimeEnv;
  let service: TrellisService<typeof greeter>;
  let client: TrellisClient<typeof greeterApp>;
  let app: Principal;
  let signals: AbortSignal[] = [];

  before(async () => {
    env = await RuntimeEnv.start({ stream: false });
    const svc = await env.principal("greeter", ["service"]);
    service = (
      await TrellisService.fromConnection({
        nc: svc.nc,
        contract: greeter,
        name: "greeter",
        keys: svc.keys,
        authenticator: env.authenticator,
        logger: quiet,
        health: { heartbeat: false },
      })
    ).orThrow();
    (
      await service.handle.feed.greeter.ticks(async ({ input, emit, signal }) => {
        signals.push(signal);
        if (input.forever) {
          for (let n = 0; !signal.aborted; n++) {
            await emit({ n });
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          return Result.ok(undefined);
        }
        for (let n = 1; n <= input.count; n++) {
          if (input.failAfter !== undefined && n > input.failAfter) return Result.err(new UnexpectedError());
          const sent = await emit({ n });
          if (sent.isErr()) return sent;
        }
        const bad = await emit({ n: "x" } as unknown as { n: number });
        assertInstanceOf(bad.isErr() && bad.error, ValidationError);
        return Result.ok(undefined);
      })
    ).orThrow();
    app = await env.principal("app", []);
    client = (
      await TrellisClient.fromConnection({ nc: app.nc, contract: greeterApp, keys: app.keys, logger: quiet })
    ).orThrow();
  });
  after(async () => {
    await client?.stop();
    await service?.stop();
    await env?.stop();
  });

  test("the ready frame precedes data, events are validated, and a returning handler's signal is aborted", async () => {
    const frames: string[] = [];
    const inbox = `${inboxPrefix(app.keys.sessionKey)}.raw-feed`;
    const sub = app.nc.subscribe(inbox, {
      callback: (_e, m) =>
        void frames.push(m.headers?.get("feed-status") ? `status:${m.headers.get("feed-status")}` : m.string()),
    });
    const body = new TextEncoder().encode(JSON.stringify({ count: 2 }));
    const proof = await signRequest(app.keys, {
      subject: ticks.subject,
      body,
      iat: Math.floor(Date.now() / 1000),
      requestId: ulid(),
    });
    app.nc.publish(ticks.subject, body, { reply: inbox, headers: buildHeaders(proof) });

    const feed = (await client.feed.greeter.ticks({ count: 3 })).orThrow();
    const got: number[] = [];
    for await (const event of feed) {
      got.push(event.n);
      if (got.length === 3) break;
    }
    assert.deepStrictEqual(got, [1, 2, 3]);
    assert.equal(feed.closed, true);
    await app.nc.flush();
    sub.unsubscribe();
    assert.deepStrictEqual(frames, ["status:ready", '{"n":1}', '{"n":2}']);
    assert.equal(signals.at(-1)?.aborted, true);
  });

  test("a handler error ends the feed with trellis.feed.failed", async () => {
    const feed = (await client.feed.greeter.ticks({ count: 5, failAfter: 1 })).orThrow();
    const got: number[] = [];
    let failure: unknown;
    try {
      for await (const event of feed) got.push(event.n);
    } catch (error) {
      failure = error;
    }
    assert.deepStrictEqual(got, [1]);
    assertInstanceOf(failure, TransportError);
    assert.equal((failure as TransportError).code, "trellis.feed.failed");
    assertIncludes(String((failure as TransportError).context?.frame), '"type":"UnexpectedError"');
  });

  test("invalid input is refused locally; a denied subscription fails the handshake", async () => {
    const invalid = await client.feed.greeter.ticks({ count: "3" } as unknown as { count: number });
    assertInstanceOf(invalid.isErr() && invalid.error, ValidationError);
    // A session the authenticator does not know: the first frame is an error frame.
    const keys = await SessionKeys.generate();
    const stranger = new FeedClient(await env.connect(keys), { keys });
    const denied = await stranger.open(ticks, { count: 1 });
    assert.equal(denied.isErr() && (denied.error as TransportError).code, "trellis.feed.failed");
    assert.equal(denied.isErr() && (denied.error.cause as AuthError).reason, "session_not_found");
  });

  test("aborting unsubscribes, and the handler's signal aborts once the subscriber is gone", async () => {
    const controller = new AbortController();
    const feed = (
      await client.feed.greeter.ticks({ count: 0, forever: true }, { signal: controller.signal })
    ).orThrow();
    const handlerSignal = signals.at(-1)!;
    const got: number[] = [];
    for await (const event of feed) {
      got.push(event.n);
      if (got.length === 2) controller.abort();
    }
    assert.ok(got.length >= 2);
    assert.equal(feed.closed, true);
    await new Promise<void>((resolve) => handlerSignal.addEventListener("abort", () => resolve(), { once: true }));
    assert.equal(handlerSignal.aborted, true);
  });

  test("a feed nobody serves fails fast; one that never answers times out", async () => {
    const other = { ...ticks, subject: "feeds.v1.Nobody" };
    const raw = new FeedClient(app.nc, { keys: app.keys, timeoutMs: 300 });
    const nobody = await raw.open(other, { count: 1 });
    assert.equal(nobody.isErr() && (nobody.error as TransportError).code, "trellis.request.unavailable");
    const silent = app.nc.subscribe("feeds.v1.Silent", { callback: () => {} });
    const timedOut = await raw.open({ ...ticks, subject: "feeds.v1.Silent" }, { count: 1 });
    silent.unsubscribe();
    assert.equal(timedOut.isErr() && (timedOut.error as TransportError).code, "trellis.feed.subscribe_timeout");
    const aborted = await raw.open(other, { count: 1 }, { signal: AbortSignal.abort() });
    assert.equal(aborted.isErr() && (aborted.error as TransportError).code, "trellis.feed.subscribe_aborted");
  });

  test("stop aborts running feed handlers", async () => {
    const feed = (await client.feed.greeter.ticks({ count: 0, forever: true })).orThrow();
    const handlerSignal = signals.at(-1)!;
    const iterator = feed[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).done, false);
    await service.stop();
    assert.equal(handlerSignal.aborted, true);
    feed.close();
  });
});
