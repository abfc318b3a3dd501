import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAccount, createCurve } from "@nats-io/jwt";
import { headers } from "@nats-io/nats-core";
import { createLogger, SessionKeys } from "../../src/runtime/index.ts";
import { connectWithCreds } from "../../src/server/index.ts";
import { Admission } from "../../src/server/callout/admission.ts";
import { CalloutService } from "../../src/server/callout/callout-service.ts";
import { CalloutResponder } from "../../src/server/callout/respond.ts";
import { openRequest } from "../../src/server/callout/request.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";

describe("admission control (unit)", () => {
  test("token buckets per host and per server", () => {
    const admission = new Admission({ ratePerSecond: 1, burst: 2 }, { ratePerSecond: 100, burst: 3 });
    expect(admission.admit("10.0.0.1", "N1", 0)).toBe(true);
    expect(admission.admit("10.0.0.1", "N1", 0)).toBe(true);
    expect(admission.admit("10.0.0.1", "N1", 0)).toBe(false); // host burst spent
    expect(admission.admit("10.0.0.2", "N1", 0)).toBe(true);
    expect(admission.admit("10.0.0.3", "N1", 0)).toBe(false); // server burst spent
    expect(admission.admit("10.0.0.3", "N2", 0)).toBe(true);
    expect(admission.admit("10.0.0.1", "N2", 1000)).toBe(true); // refilled
  });
});

describe("request opening (unit)", () => {
  const xkey = createCurve();
  const server = createCurve();
  test("missing header, empty body, undecryptable or unsigned requests are unusable", () => {
    expect(openRequest(new Uint8Array([1]), undefined, xkey).isErr()).toBe(true);
    expect(openRequest(new Uint8Array(), server.getPublicKey(), xkey).isErr()).toBe(true);
    expect(openRequest(new TextEncoder().encode("xkv1garbage"), server.getPublicKey(), xkey).isErr()).toBe(true);
    const sealedJunk = server.seal(new TextEncoder().encode("not.a.jwt"), xkey.getPublicKey());
    const opened = openRequest(sealedJunk, server.getPublicKey(), xkey);
    expect(opened.isErr() && opened.error).toContain("bad request JWT");
  });
});

describe("a request the responder cannot open (unit)", () => {
  test("gets an empty answer, so the server denies at once, and a log line", async () => {
    const lines: string[] = [];
    const keys = {
      authAccount: createAccount().getPublicKey(),
      authSigning: createAccount(),
      trellisAccount: createAccount().getPublicKey(),
      trellisSigning: createAccount(),
      xkey: createCurve(),
    };
    const service = new CalloutService({} as never, {
      store: {} as never,
      responder: new CalloutResponder(keys, {
        jwtTtlSeconds: 60,
        operationResponseMax: 2,
        operationResponseTtlSeconds: 1,
      }),
      admission: new Admission({ ratePerSecond: 1, burst: 1 }, { ratePerSecond: 1, burst: 1 }),
      logger: createLogger({ level: "debug", write: (line) => void lines.push(line) }),
      sessionTtlSeconds: 60,
    });
    const replies: Uint8Array[] = [];
    const h = headers();
    h.set("Nats-Server-Xkey", createCurve().getPublicKey());
    await service.handle({
      data: new TextEncoder().encode("xkv1 nonsense"),
      headers: h,
      respond: (d: Uint8Array) => void replies.push(d),
    } as never);
    expect(replies).toEqual([new Uint8Array()]);
    expect(lines.join("")).toContain("callout request unusable");
  });
});

describe("the responder under bad input and floods", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ config: { admission: { perHost: { ratePerSecond: 1, burst: 4 } } } as never });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test("nobody but the server can publish callout requests, not even the responder's own account", async () => {
    const nc = await connectWithCreds({ servers: [stack.natsUrl], credsPath: stack.config.nats.authCreds, name: "t" });
    try {
      const h = headers();
      h.set("Nats-Server-Xkey", createCurve().getPublicKey());
      const sent = nc.request("$SYS.REQ.USER.AUTH", new TextEncoder().encode("xkv1 nonsense"), {
        headers: h,
        timeout: 2000,
      });
      await expect(sent).rejects.toThrow(/Permissions Violation/);
    } finally {
      await nc.close();
    }
  });

  test("connects beyond the per-host rate are refused as rate_limited", async () => {
    const keys = await SessionKeys.generate();
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => stack.connectAs(keys, "digest")));
    expect(outcomes.every((o) => "error" in o)).toBe(true);
    const reasons = stack.logs
      .map((line) => JSON.parse(line) as { msg: string; reason?: string })
      .filter((entry) => entry.msg === "connection denied")
      .map((entry) => entry.reason);
    expect(reasons).toContain("rate_limited");
    expect(reasons).toContain("session_not_found");
  });
});
