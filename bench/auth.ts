// Auth on the hot path, each against its baseline in the same run:
// - connects through the auth callout vs plain connects to a server without auth;
// - Validate calls vs plain request/reply;
// - proof signing and verification with each Ed25519 implementation (@noble/ed25519, WebCrypto,
//   node:crypto) side by side, and node:crypto called directly as the floor.
// Usage: `bun bench/auth.ts [connects] [calls]`.
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { connect } from "@nats-io/transport-node";
import { ulid } from "ulid";
import { authContract, base64url, inboxPrefix, sha256 } from "../src/contracts/index.ts";
import {
  calloutAuthenticator,
  ed25519,
  nativeEd25519,
  nobleEd25519,
  proofInput,
  RpcClient,
  ServerClock,
  SessionKeys,
  signRequest,
  verifyRequestProof,
  webCryptoEd25519,
  type Ed25519,
} from "../src/runtime/index.ts";
import { approveService, provisionInstance, rpc } from "../test/server/admin-helpers.ts";
import { echoApp, echoContract, otherContract } from "../test/server/fixtures.ts";
import { startLocalStack } from "../test/support/local-stack.ts";
import { startNats } from "../test/support/nats.ts";
import { formatMs, median, percentile, timeRuns } from "./stats.ts";

const connects = Number(process.argv[2] ?? 300);
const calls = Number(process.argv[3] ?? 2000);
const CONCURRENCY = 16;

const row = (label: string, samples: number[], perSecond?: number) =>
  `| ${label} | ${formatMs(median(samples))} | ${formatMs(percentile(samples, 90))} | ${
    perSecond === undefined ? "-" : Math.round(perSecond).toLocaleString("en-US")
  } |`;

/** Throughput of `total` calls with `concurrency` in flight. */
async function throughput(total: number, concurrency: number, call: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await call(next++);
    }),
  );
  return (total / (performance.now() - start)) * 1000;
}

const stack = await startLocalStack({
  config: { admission: { perHost: { ratePerSecond: 100_000, burst: 100_000 } } } as never,
});
const plain = await startNats();
try {
  await approveService(stack, "other", otherContract.CONTRACT);
  await approveService(stack, "echo", echoContract().CONTRACT);
  const echoKeys = await provisionInstance(stack, "echo");
  const digest = echoContract().CONTRACT_DIGEST;
  const clock = new ServerClock();
  const options = {
    servers: stack.natsUrl,
    authenticator: calloutAuthenticator({ sentinel: stack.sentinel, keys: echoKeys, contractDigest: digest, clock }),
    inboxPrefix: inboxPrefix(echoKeys.sessionKey),
    maxReconnectAttempts: 0,
  };

  console.log(`\n## Connects (${connects} sequential connect + close)\n`);
  console.log("| connect | median | p90 | per second |\n| --- | --- | --- | --- |");
  const plainConnects = await timeRuns(connects, 20, async () => (await connect({ servers: plain.url })).close());
  const calloutConnects = await timeRuns(connects, 20, async () => (await connect(options)).close());
  console.log(row("plain, no auth (baseline)", plainConnects, 1000 / median(plainConnects)));
  console.log(row("through the callout (service)", calloutConnects, 1000 / median(calloutConnects)));

  // Validate: the echo service validating a user's requests.
  const echoNc = await connect(options);
  const echo = new RpcClient(echoNc, { keys: echoKeys, clock });
  const user = await SessionKeys.generate();
  (
    await stack.admin.client.call(rpc()["Auth.Admin.Sessions.Approve"], {
      contract: echoApp.CONTRACT as never,
      sessionKey: user.sessionKey,
      capabilities: ["test.echo::secret"],
    })
  ).orThrow();
  const body = new TextEncoder().encode('{"text":"bench"}');
  const payloadHash = base64url(sha256(body));
  const requests = await Promise.all(
    Array.from({ length: calls + 200 }, async () => {
      const requestId = ulid();
      const iat = clock.iat();
      const headers = await signRequest(user, { subject: "rpc.v1.Echo.Ping", body, iat, requestId });
      return {
        sessionKey: user.sessionKey,
        proof: headers.proof,
        subject: "rpc.v1.Echo.Ping",
        payloadHash,
        iat,
        requestId,
      };
    }),
  );
  const validate = authContract().API.owned.rpc["Auth.Requests.Validate"];
  const plainNc = await connect({ servers: plain.url });
  plainNc.subscribe("bench.echo", {
    callback: (_e, msg) => {
      msg.respond(msg.data);
    },
  });
  const plainClient = await connect({ servers: plain.url });
  await plainNc.flush();

  console.log(`\n## Validate (${calls} calls; latency sequential, throughput with ${CONCURRENCY} in flight)\n`);
  console.log("| call | median | p90 | per second |\n| --- | --- | --- | --- |");
  let used = 0;
  const sequentialPlain = await timeRuns(calls / 2, 100, () => plainClient.request("bench.echo", body));
  const sequentialValidate = await timeRuns(calls / 2, 100, async () =>
    (await echo.call(validate, requests[used++]!)).orThrow(),
  );
  const plainRate = await throughput(calls, CONCURRENCY, () => plainClient.request("bench.echo", body));
  const more = await Promise.all(
    Array.from({ length: calls }, async () => {
      const requestId = ulid();
      const iat = clock.iat();
      const headers = await signRequest(user, { subject: "rpc.v1.Echo.Ping", body, iat, requestId });
      return {
        sessionKey: user.sessionKey,
        proof: headers.proof,
        subject: "rpc.v1.Echo.Ping",
        payloadHash,
        iat,
        requestId,
      };
    }),
  );
  const validateRate = await throughput(calls, CONCURRENCY, async (i) =>
    (await echo.call(validate, more[i]!)).orThrow(),
  );
  console.log(row("plain request/reply (baseline)", sequentialPlain, plainRate));
  console.log(row("Auth.Requests.Validate (signed, proof + replay + session)", sequentialValidate, validateRate));
  await Promise.all([echoNc.close(), plainNc.close(), plainClient.close()]);

  // Proofs: sign and verify the 32-byte digest of a proof input, each implementation, one at a time and
  // with many in flight (how a validator sees them: concurrent requests).
  console.log(`\n## Proof signing and verification (${calls} each)\n`);
  console.log(
    "| implementation | sign / s (sequential) | verify / s (sequential) | verify / s (64 in flight) | full `verifyRequestProof` / s (64 in flight) |",
  );
  console.log("| --- | --- | --- | --- | --- |");
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const fields = { sessionKey: "", subject: "rpc.v1.Echo.Ping", payloadHash: sha256(body), iat: 1, requestId: "r" };
  const implementations: Ed25519[] = [nobleEd25519];
  for (const candidate of [await webCryptoEd25519(), await nativeEd25519()]) {
    if (candidate !== undefined) implementations.push(candidate);
  }
  // Keyed on `name`, so that a new implementation cannot be printed under another's label.
  const labels: Record<Ed25519["name"], string> = {
    noble: "`@noble/ed25519`",
    webcrypto: "WebCrypto Ed25519",
    node: "node:crypto (`native-ed25519.ts`)",
  };
  const defaultName = (await ed25519()).name;
  const rate = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString("en-US");
  const sum = (samples: number[]) => samples.reduce((a, b) => a + b, 0);
  for (const impl of implementations) {
    const publicKey = await impl.publicKey(seed);
    const message = sha256(proofInput({ ...fields, sessionKey: base64url(publicKey) }));
    const sign = impl.signer(seed);
    const signature = await sign(message);
    const signs = await timeRuns(calls, 100, () => sign(message));
    const verifies = await timeRuns(calls, 100, () => impl.verify(publicKey, signature, message));
    const inFlight = await throughput(calls, 64, () => impl.verify(publicKey, signature, message));
    // The whole check Validate runs (proof input, SHA-256, strict base64url, verify): always on the default.
    const full =
      impl.name === defaultName
        ? await throughput(calls, 64, () =>
            verifyRequestProof({ ...fields, sessionKey: base64url(publicKey) }, base64url(signature)),
          )
        : undefined;
    console.log(
      `| ${labels[impl.name]}${impl.name === defaultName ? " — default" : ""} | ${rate(calls, sum(signs))} | ${rate(calls, sum(verifies))} | ${Math.round(inFlight).toLocaleString("en-US")} | ${
        full === undefined ? "-" : Math.round(full).toLocaleString("en-US")
      } |`,
    );
  }
  // The floor: node:crypto's synchronous sign/verify called directly (no key cache, no thread pool).
  {
    const key = createPrivateKey({
      key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
      format: "der",
      type: "pkcs8",
    });
    const publicKey = createPublicKey(key);
    const message = sha256(new Uint8Array(64));
    const signature = nodeSign(null, message, key);
    const signs = await timeRuns(calls, 100, () => nodeSign(null, message, key));
    const verifies = await timeRuns(calls, 100, () => nodeVerify(null, message, publicKey, signature));
    console.log(
      `| node:crypto \`sign\`/\`verify\` called directly (synchronous floor) | ${rate(calls, sum(signs))} | ${rate(calls, sum(verifies))} | - | - |`,
    );
  }
} finally {
  await stack.stop();
  await plain.stop();
}
