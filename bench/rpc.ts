// Issue 5's RPC benchmark, one script, one run, every row against the same nats-server
// (a local stack: the auth callout, the control plane in this process), the same
// connections and the same bytes (`Orders.Get` of the example contract):
//   (a) raw request/reply;
//   (b) the crypto floor: (a) plus a proof signed by the caller and verified by the
//       responder, with the fastest Ed25519 available here (each candidate is run, the
//       fastest is (b)), and nothing else;
//   (c) Trellis RPC through the generated SDKs (validation, proofs, replay protection,
//       capability checks), with the authentication fast path; (c') the same with
//       Validate asked for every request, for comparison.
// Then where (c)'s time goes: each component on its own.
// Usage: `bun bench/rpc.ts [sequential calls] [concurrent calls] [rounds]`.
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { headers as natsHeaders, type Msg, type NatsConnection } from "@nats-io/nats-core";
import { ulid } from "ulid";
import { base64url, ok, sha256 } from "../src/contracts/index.ts";
import {
  base64urlDecode,
  JetStreamReplayGuard,
  nativeEd25519,
  proofInput,
  replayKey,
  silentLogger,
  signRequest,
  TrellisClient,
  TrellisService,
  verifyRequestProof,
  webCryptoEd25519,
  type SessionKeys,
} from "../src/runtime/index.ts";
import { checkSchema } from "../src/runtime/wire/schema-check.ts";
import type ordersSource from "../examples/orders/contract.ts";
import type ordersWebSource from "../examples/orders-web/contract.ts";
import { generatedExamples } from "../test/codegen/support/example-tree.ts";
import { approvedSession, trellisUrlOf } from "../test/e2e/support/sessions.ts";
import { approveService, provisionInstance } from "../test/server/admin-helpers.ts";
import { startLocalStack, type LocalStack } from "../test/support/local-stack.ts";
import { formatMs, percentile } from "./stats.ts";

const SEQUENTIAL = Number(process.argv[2] ?? 2000);
const CONCURRENT = Number(process.argv[3] ?? 20000);
const ROUNDS = Number(process.argv[4] ?? 3);
const CALLERS = 64;
const SUBJECT = "rpc.v1.Orders.Get";

type Run = { perSecond: number; samples: number[] };
type Mode = { sequential: Run; concurrent: Run };

/** `total` calls, `callers` at a time, each timed. */
async function measure(total: number, callers: number, call: () => Promise<unknown>): Promise<Run> {
  for (let i = 0; i < Math.min(200, total / 10); i++) await call();
  const samples: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next++ < total) {
        const t0 = performance.now();
        await call();
        samples.push(performance.now() - t0);
      }
    }),
  );
  return { perSecond: (total / (performance.now() - start)) * 1000, samples };
}

const both = async (call: () => Promise<unknown>): Promise<Mode> => ({
  sequential: await measure(SEQUENTIAL, 1, call),
  concurrent: await measure(CONCURRENT, CALLERS, call),
});

// ---- Ed25519 candidates for the floor ---------------------------------------------------------

type Ed = {
  name: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
  verify(signature: Uint8Array, message: Uint8Array): Promise<boolean>;
};
const PKCS8 = Buffer.from("302e020100300506032b657004220420", "hex");

async function candidates(seed: Uint8Array): Promise<Ed[]> {
  const priv: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8, seed]), format: "der", type: "pkcs8" });
  const pub = createPublicKey(priv);
  const web = (await webCryptoEd25519())!;
  const webSign = web.signer(seed);
  const webPublic = await web.publicKey(seed);
  const adaptive = (await nativeEd25519())!;
  const adaptiveSign = adaptive.signer(seed);
  return [
    {
      name: "node:crypto sync, thread pool when overlapping (the runtime's)",
      sign: adaptiveSign,
      verify: (s, m) => adaptive.verify(webPublic, s, m),
    },
    { name: "WebCrypto", sign: webSign, verify: (s, m) => web.verify(webPublic, s, m) },
    {
      name: "node:crypto, synchronous",
      sign: async (m) => nodeSign(null, m, priv),
      verify: async (s, m) => nodeVerify(null, m, pub, s),
    },
    {
      name: "node:crypto, callback (thread pool)",
      sign: (m) => new Promise((res, rej) => nodeSign(null, m, priv, (e, sig) => (e ? rej(e) : res(sig)))),
      verify: (s, m) => new Promise((res, rej) => nodeVerify(null, m, pub, s, (e, okay) => (e ? rej(e) : res(okay)))),
    },
  ];
}

// ---- the stack ---------------------------------------------------------------------------------

type OrdersSdk = typeof ordersSource;
type OrdersWebSdk = typeof ordersWebSource;

const stack: LocalStack = await startLocalStack({
  config: { admission: { perHost: { ratePerSecond: 100_000, burst: 100_000 } } } as never,
});
const open: { stop(): Promise<void> }[] = [];
try {
  const tree = await generatedExamples();
  const sdk = async (dir: string) =>
    ((await import(pathToFileURL(join(tree.generated, "packages", "ts", dir, "index.ts")).href)) as { sdk: unknown })
      .sdk;
  const orders = (await sdk("acme-orders")) as OrdersSdk;
  const ordersWeb = (await sdk("acme-orders-web")) as OrdersWebSdk;
  await approveService(stack, "orders", orders.CONTRACT);
  const responderKeys = await provisionInstance(stack, "orders");
  const user = await approvedSession(stack, ordersWeb.CONTRACT, [
    "acme.orders::read",
    "acme.orders::write",
    "acme.orders::fulfil",
  ]);
  const connectAs = async (keys: SessionKeys, digest: string): Promise<NatsConnection> => {
    const outcome = await stack.connectAs(keys, digest);
    if ("error" in outcome) throw new Error(outcome.error);
    return outcome.nc;
  };
  const responder = await connectAs(responderKeys, orders.CONTRACT_DIGEST);
  const caller = await connectAs(user, ordersWeb.CONTRACT_DIGEST);

  const order = {
    orderId: "ord_0001",
    customerId: "alice",
    items: [{ sku: "tea-sencha", quantity: 2, priceCents: 450 }],
    status: "paid" as const,
    totalCents: 900,
    createdAt: "2026-12-04T12:00:00.000Z",
  };
  const input = { orderId: "ord_0001" };
  const body = new TextEncoder().encode(JSON.stringify(input));
  const replyBody = new TextEncoder().encode(JSON.stringify(order));

  /** Serves SUBJECT on the raw responder connection for the duration of `work`. */
  const serving = async <T>(handle: (msg: Msg) => void | Promise<void>, work: () => Promise<T>): Promise<T> => {
    const sub = responder.subscribe(SUBJECT, { queue: SUBJECT, callback: (_e, msg) => void handle(msg) });
    await responder.flush();
    try {
      return await work();
    } finally {
      await sub.drain();
    }
  };

  // (a) raw request/reply.
  const runA = () =>
    serving(
      (msg) => void msg.respond(replyBody),
      () => both(() => caller.request(SUBJECT, body, { timeout: 5000 })),
    );

  // (b) the floor, per candidate: sign over the proof input on the caller, verify on the responder.
  const seed = base64urlDecode(user.exportSeed(), 32).orThrow();
  const eds = await candidates(seed);
  const runB = (ed: Ed) =>
    serving(
      async (msg) => {
        const h = msg.headers!;
        const fields = {
          sessionKey: h.get("session-key"),
          subject: msg.subject,
          payloadHash: sha256(msg.data),
          iat: Number(h.get("iat")),
          requestId: h.get("request-id"),
        };
        const proof = base64urlDecode(h.get("proof"), 64).orThrow();
        if (await ed.verify(proof, sha256(proofInput(fields)))) msg.respond(replyBody);
      },
      () =>
        both(async () => {
          const requestId = ulid();
          const iat = Math.floor(Date.now() / 1000);
          const fields = { sessionKey: user.sessionKey, subject: SUBJECT, payloadHash: sha256(body), iat, requestId };
          const proof = base64url(await ed.sign(sha256(proofInput(fields))));
          const headers = natsHeaders();
          headers.set("session-key", user.sessionKey);
          headers.set("proof", proof);
          headers.set("iat", String(iat));
          headers.set("request-id", requestId);
          return caller.request(SUBJECT, body, { timeout: 5000, headers });
        }),
    );

  // (b') the floor of any compliant design: (b) plus the responder's claim of the replay key in the
  // shared bucket (auth.md §4 step 4 on every request), on the same connection, after the verification.
  const claimsOn = new JetStreamReplayGuard(responder);
  const runBPrime = (ed: Ed) =>
    serving(
      async (msg) => {
        const h = msg.headers!;
        const fields = {
          sessionKey: h.get("session-key"),
          subject: msg.subject,
          payloadHash: sha256(msg.data),
          iat: Number(h.get("iat")),
          requestId: h.get("request-id"),
        };
        const proof = base64urlDecode(h.get("proof"), 64).orThrow();
        if (!(await ed.verify(proof, sha256(proofInput(fields))))) return;
        const claimed = await claimsOn.tryClaim(replayKey(fields.sessionKey, fields.requestId), Date.now() + 30_000);
        if (claimed === "claimed") msg.respond(replyBody);
      },
      () =>
        both(async () => {
          const requestId = ulid();
          const iat = Math.floor(Date.now() / 1000);
          const fields = { sessionKey: user.sessionKey, subject: SUBJECT, payloadHash: sha256(body), iat, requestId };
          const proof = base64url(await ed.sign(sha256(proofInput(fields))));
          const headers = natsHeaders();
          headers.set("session-key", user.sessionKey);
          headers.set("proof", proof);
          headers.set("iat", String(iat));
          headers.set("request-id", requestId);
          return caller.request(SUBJECT, body, { timeout: 5000, headers });
        }),
    );

  // (c) Trellis RPC through the SDKs, full stack; (c') every request through Validate.
  let info: unknown;
  const runC = async (fastAuthentication: boolean) => {
    const service = (
      await TrellisService.connect({
        trellisUrl: trellisUrlOf(stack),
        contract: orders,
        name: "orders",
        keys: await provisionInstance(stack, "orders"),
        logger: silentLogger,
        fastAuthentication,
        health: { heartbeat: false },
      })
    ).orThrow();
    open.push(service);
    (await service.handle.rpc.orders.get(() => ok(order))).orThrow();
    const client = (
      await TrellisClient.connect({
        trellisUrl: trellisUrlOf(stack),
        contract: ordersWeb,
        keys: user,
        logger: silentLogger,
      })
    ).orThrow();
    open.push(client);
    const mode = await both(async () => (await client.rpc.orders.get(input)).orThrow());
    if (fastAuthentication) info = service.requestAuthentication;
    await client.stop();
    await service.stop();
    return mode;
  };

  // Rounds, interleaved, so that a burst of load elsewhere on the machine hits every row alike;
  // each row reports its median round (separately for the sequential and the concurrent run).
  const rounds: { a: Mode; b: Mode[]; bPrime: Mode[]; c: Mode; cValidate: Mode }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = await runA();
    const b: Mode[] = [];
    for (const ed of eds) b.push(await runB(ed));
    const bPrime: Mode[] = [];
    for (const ed of eds) bPrime.push(await runBPrime(ed));
    rounds.push({ a, b, bPrime, c: await runC(true), cValidate: await runC(false) });
  }
  const medianOf = (modes: Mode[]): Mode => {
    const pick = (which: keyof Mode) =>
      [...modes].sort((x, y) => x[which].perSecond - y[which].perSecond)[Math.floor(modes.length / 2)]![which];
    return { sequential: pick("sequential"), concurrent: pick("concurrent") };
  };
  const a = medianOf(rounds.map((r) => r.a));
  const floorRuns = eds.map((ed, i) => ({ name: ed.name, mode: medianOf(rounds.map((r) => r.b[i]!)) }));
  const fastest = (pick: (m: Mode) => Run) =>
    floorRuns.reduce((best, run) => (pick(run.mode).perSecond > pick(best.mode).perSecond ? run : best));
  const b: Mode = {
    sequential: fastest((m) => m.sequential).mode.sequential,
    concurrent: fastest((m) => m.concurrent).mode.concurrent,
  };
  const claimRuns = eds.map((ed, i) => ({ name: ed.name, mode: medianOf(rounds.map((r) => r.bPrime[i]!)) }));
  const bestOf = (runs: typeof floorRuns, which: keyof Mode) =>
    runs.reduce((best, run) => (run.mode[which].perSecond > best.mode[which].perSecond ? run : best));
  const bPrime: Mode = {
    sequential: bestOf(claimRuns, "sequential").mode.sequential,
    concurrent: bestOf(claimRuns, "concurrent").mode.concurrent,
  };
  const c = { mode: medianOf(rounds.map((r) => r.c)), info };
  const cValidate = { mode: medianOf(rounds.map((r) => r.cValidate)) };

  // ---- where (c)'s time goes: each component alone ------------------------------------------
  const perOp = async (count: number, work: () => unknown): Promise<number> => {
    const start = performance.now();
    for (let i = 0; i < count; i++) await work();
    return ((performance.now() - start) / count) * 1000; // µs
  };
  const getIn = orders.API.owned.rpc["Orders.Get"].input;
  const getOut = orders.API.owned.rpc["Orders.Get"].output;
  const guard = new JetStreamReplayGuard(responder);
  const claim = () => guard.tryClaim(replayKey(user.sessionKey, ulid()), Date.now() + 30_000);
  const signed = await signRequest(user, {
    subject: SUBJECT,
    body,
    iat: Math.floor(Date.now() / 1000),
    requestId: "x",
  });
  const proofFields = {
    sessionKey: user.sessionKey,
    subject: SUBJECT,
    payloadHash: sha256(body),
    iat: Number(signed.iat),
    requestId: "x",
  };
  const components = {
    "valibot: input + output, one side (µs)": await perOp(20000, () => {
      checkSchema(getIn, input);
      checkSchema(getOut, order);
    }),
    "JSON encode + decode of input and output, one side (µs)": await perOp(20000, () => {
      JSON.parse(JSON.stringify(input));
      JSON.parse(JSON.stringify(order));
    }),
    "runtime signRequest, sequential (µs)": await perOp(2000, () =>
      signRequest(user, { subject: SUBJECT, body, iat: 1, requestId: ulid() }),
    ),
    "runtime verifyRequestProof, sequential (µs)": await perOp(2000, () =>
      verifyRequestProof(proofFields, signed.proof),
    ),
  };
  const claims = {
    sequential: await measure(SEQUENTIAL, 1, claim),
    concurrent: await measure(CONCURRENT, CALLERS, claim),
  };
  const verifies = await measure(CONCURRENT, CALLERS, () => verifyRequestProof(proofFields, signed.proof));
  const signs = await measure(CONCURRENT, CALLERS, () =>
    signRequest(user, { subject: SUBJECT, body, iat: 1, requestId: ulid() }),
  );

  // ---- report ---------------------------------------------------------------------------------
  const n = (value: number) => Math.round(value).toLocaleString("en-US");
  const row = (label: string, mode: Mode) =>
    `| ${label} | ${n(mode.sequential.perSecond)} | ${formatMs(percentile(mode.sequential.samples, 50))} | ${formatMs(
      percentile(mode.sequential.samples, 99),
    )} | ${n(mode.concurrent.perSecond)} | ${formatMs(percentile(mode.concurrent.samples, 50))} | ${formatMs(
      percentile(mode.concurrent.samples, 99),
    )} |`;
  console.log(
    `\n## RPC (${SEQUENTIAL} sequential calls; ${CONCURRENT} calls with ${CALLERS} callers; median of ${ROUNDS} interleaved rounds)\n`,
  );
  console.log("| | calls/s seq | p50 seq | p99 seq | calls/s ×64 | p50 ×64 | p99 ×64 |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  console.log(row("(a) raw request/reply", a));
  console.log(
    row(
      `(b) floor: + sign/verify (${fastest((m) => m.sequential).name} seq, ${fastest((m) => m.concurrent).name} ×64)`,
      b,
    ),
  );
  console.log(row("(b') floor + the shared replay claim (what auth.md §4 requires on top)", bPrime));
  console.log(row("(c) Trellis RPC, generated SDK, fast path", c.mode));
  console.log(row("(c') Trellis RPC, Validate for every request", cValidate.mode));
  const ratio = (x: number, y: number) => (x / y).toFixed(2);
  const p50 = (run: Run) => percentile(run.samples, 50);
  console.log(
    `\nc/b: ${ratio(c.mode.sequential.perSecond, b.sequential.perSecond)} sequential, ${ratio(c.mode.concurrent.perSecond, b.concurrent.perSecond)} ×64;` +
      ` c/a: ${ratio(c.mode.sequential.perSecond, a.sequential.perSecond)} sequential, ${ratio(c.mode.concurrent.perSecond, a.concurrent.perSecond)} ×64;` +
      ` added p50 over (b), sequential: ${formatMs(p50(c.mode.sequential) - p50(b.sequential))}`,
  );
  console.log(
    `c/b': ${ratio(c.mode.sequential.perSecond, bPrime.sequential.perSecond)} sequential, ${ratio(c.mode.concurrent.perSecond, bPrime.concurrent.perSecond)} ×64; b'/b: ${ratio(bPrime.concurrent.perSecond, b.concurrent.perSecond)} ×64`,
  );
  console.log(`fast path (last round): ${JSON.stringify(c.info)}`);

  console.log("\n### The floor, every candidate\n");
  console.log("| Ed25519 | calls/s seq | p50 seq | p99 seq | calls/s ×64 | p50 ×64 | p99 ×64 |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const run of floorRuns) console.log(row(run.name, run.mode));

  console.log("\n### Components of (c), each alone\n");
  console.log("| component | value |\n| --- | --- |");
  for (const [label, value] of Object.entries(components)) console.log(`| ${label} | ${value.toFixed(1)} |`);
  console.log(
    `| replay claim (JetStream publish + PubAck), sequential p50 | ${formatMs(percentile(claims.sequential.samples, 50))} |`,
  );
  console.log(`| replay claims/s ×64 | ${n(claims.concurrent.perSecond)} |`);
  console.log(`| runtime verifyRequestProof/s ×64 | ${n(verifies.perSecond)} |`);
  console.log(`| runtime signRequest/s ×64 | ${n(signs.perSecond)} |`);
} finally {
  await Promise.allSettled(open.map((x) => x.stop()));
  await stack.stop();
}
