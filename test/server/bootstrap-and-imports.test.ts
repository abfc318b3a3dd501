import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { natsConnectValue, SessionKeys, signDomain } from "../../src/runtime/index.ts";
import { startLocalStack, type LocalStack } from "../support/local-stack.ts";
import { approveService, provisionInstance } from "./admin-helpers.ts";
import { echoContract, otherContract } from "./fixtures.ts";

let stack: LocalStack;
let origin: string;

beforeAll(async () => {
  stack = await startLocalStack();
  origin = stack.planes[0]!.httpUrl!;
  await approveService(stack, "other", otherContract.CONTRACT);
  await approveService(stack, "echo", echoContract().CONTRACT);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${origin}${path}`, { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const now = () => Math.floor(Date.now() / 1000);

describe("the bootstrap endpoint (auth.md §3)", () => {
  test("client: a bound session gets its connect info and serverNow; others auth_required", async () => {
    const keys = stack.admin.keys;
    const iat = now();
    const ready = await post("/bootstrap/client", {
      sessionKey: keys.sessionKey,
      iat,
      sig: await signDomain(keys, "bootstrap-client", String(iat)),
    });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: "ready",
      connectInfo: {
        sessionKey: keys.sessionKey,
        contractId: "trellis.cli@v1",
        contractDigest: stack.admin.contractDigest,
        transports: { native: { natsServers: [stack.natsUrl] } },
        transport: { inboxPrefix: `_INBOX.${keys.sessionKey.slice(0, 16)}`, sentinel: stack.sentinel },
      },
    });
    expect(Math.abs((ready.body.serverNow as number) - now())).toBeLessThanOrEqual(1);

    const stranger = await SessionKeys.generate();
    const unknown = await post("/bootstrap/client", {
      sessionKey: stranger.sessionKey,
      iat,
      sig: await signDomain(stranger, "bootstrap-client", String(iat)),
    });
    expect(unknown.body).toEqual({ status: "auth_required", serverNow: expect.any(Number) });
  });

  test("client: stale iat, bad signature and a malformed body are refused with serverNow", async () => {
    const keys = stack.admin.keys;
    const stale = now() - 40;
    const old = await post("/bootstrap/client", {
      sessionKey: keys.sessionKey,
      iat: stale,
      sig: await signDomain(keys, "bootstrap-client", String(stale)),
    });
    expect(old).toMatchObject({ status: 400, body: { reason: "iat_out_of_range", serverNow: expect.any(Number) } });
    const iat = now();
    const forged = await post("/bootstrap/client", {
      sessionKey: keys.sessionKey,
      iat,
      sig: await signDomain(keys, "bootstrap-client", String(iat + 1)),
    });
    expect(forged).toMatchObject({ status: 401, body: { reason: "invalid_signature" } });
    expect((await post("/bootstrap/client", { nope: true })).body.reason).toBe("invalid_request");
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  });

  test("service: an approved instance gets connect info and its resource bindings; others the callout's reason", async () => {
    const keys = await provisionInstance(stack, "echo");
    const digest = echoContract().CONTRACT_DIGEST;
    const request = async (contractDigest: string, contractId = "test.echo@v1") => {
      const iat = now();
      return post("/bootstrap/service", {
        sessionKey: keys.sessionKey,
        contractId,
        contractDigest,
        iat,
        sig: await signDomain(keys, "nats-connect", natsConnectValue(iat, contractDigest)),
      });
    };
    const ready = await request(digest);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: "ready",
      connectInfo: { auth: { mode: "service_identity", iatSkewSeconds: 30 } },
      binding: {
        eventConsumers: {
          audit: { stream: "trellis", filterSubjects: ["events.v1.Echo.Pinged.*", "events.v1.Other.Happened"] },
        },
        kv: { notes: { history: 1, ttlMs: 0 } },
        // jobs.md §2: the deployment id is the jobs namespace token; §6 defaults filled in.
        jobs: {
          reindex: {
            service: "echo",
            jobType: "reindex",
            publishPrefix: "trellis.jobs.echo.reindex",
            workSubject: "trellis.work.echo.reindex",
            consumerName: "echo-reindex",
            workStream: "JOBS_WORK",
            settings: {
              maxDeliver: 3,
              backoffMs: [5000, 30000, 120000, 600000, 1800000],
              ackWaitMs: 300000,
              progress: true,
              logs: true,
              dlq: true,
              concurrency: 2,
            },
          },
        },
      },
    });
    const pending = await request(echoContract({ revision: 2 }).CONTRACT_DIGEST);
    expect(pending).toMatchObject({ status: 403, body: { reason: "contract_changed" } });
    expect((await request(digest, "test.other@v1")).body.reason).toBe("contract_digest_mismatch");
    const stranger = await SessionKeys.generate();
    const iat = now();
    const unknown = await post("/bootstrap/service", {
      sessionKey: stranger.sessionKey,
      contractId: "test.echo@v1",
      contractDigest: digest,
      iat,
      sig: await signDomain(stranger, "nats-connect", natsConnectValue(iat, digest)),
    });
    expect(unknown).toMatchObject({ status: 403, body: { reason: "unknown_service" } });
  });
});

describe("trellis init admin", () => {
  test("the operator written offline is imported when a replica starts, once", async () => {
    const dir = join(stack.dir, "ops-session");
    const init = await stack.cli([
      "init",
      "admin",
      "--out",
      dir,
      "--config",
      join(stack.dir, "trellis/config.json"),
      "--user",
      "ops",
      "--json",
    ]);
    expect(init.exitCode).toBe(0);
    const { importFile, sessionKey } = JSON.parse(init.stdout);
    expect(existsSync(importFile)).toBe(true);
    // Not yet imported: the running replica read its imports at start.
    expect((await stack.cli(["svc", "list"], { TRELLIS_CONFIG_DIR: dir })).exitCode).toBe(5);

    await stack.startReplica();
    expect(existsSync(importFile)).toBe(false);
    expect(existsSync(`${importFile}.imported`)).toBe(true);
    const listed = await stack.cli(["svc", "list", "--json"], { TRELLIS_CONFIG_DIR: dir });
    expect(listed.exitCode).toBe(0);

    // Revoked, it stays revoked: the import is not applied again, even if the file comes back.
    expect((await stack.cli(["sessions", "revoke", "--session-key", sessionKey])).exitCode).toBe(0);
    copyFileSync(`${importFile}.imported`, importFile);
    await stack.startReplica();
    expect((await stack.cli(["svc", "list"], { TRELLIS_CONFIG_DIR: dir })).exitCode).toBe(5);
    expect(readdirSync(join(stack.dir, "trellis/data/imports")).filter((f) => f.endsWith(".json"))).toEqual([]);
  }, 60_000);
});
