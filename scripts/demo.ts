// The README demo (`npm run demo`): the example contracts in brief, then a whole local
// stack in a temporary directory — bundle, nats-server, infra, control plane (`trellis dev`'s
// code) — the example SDKs generated, the orders service approved, provisioned and run
// with `trellis run`, and the orders-web client making typed calls against it. Everything
// is stopped at the end.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { derivePermissions, readContractFile, type LoadedContract } from "../src/cli/index.ts";
import { startDevStack } from "../src/cli/dev/dev-stack.ts";
import { freePort } from "../src/cli/local/free-port.ts";
import { openCliSession } from "../src/cli/session/open-session.ts";
import { authContract } from "../src/contracts/index.ts";
import { createLogger, SessionKeys } from "../src/runtime/index.ts";

const root = join(import.meta.dir, "..");
const cli = [process.execPath, join(root, "src", "cli", "main.ts")];
const examplesDir = join(root, "examples");
const section = (title: string) => console.log(`\n── ${title} ${"─".repeat(Math.max(4, 66 - title.length))}`);

// 1. The contracts: id, digest, surfaces and the NATS permissions derived from them.
section("example contracts");
const contracts: LoadedContract[] = [];
for (const name of readdirSync(examplesDir).sort()) {
  const source = join(examplesDir, name, "contract.ts");
  if (!existsSync(source)) continue;
  const loaded = await readContractFile(source);
  if (loaded.isErr()) {
    console.error(`${source}: ${loaded.error.message}`);
    process.exit(1);
  }
  contracts.push(loaded.value);
}
for (const { manifest, digest } of contracts) {
  const count = (section?: object) => Object.keys(section ?? {}).length;
  const surfaces = [
    [count(manifest.rpc), "rpc"],
    [count(manifest.events), "event"],
    [count(manifest.feeds), "feed"],
    [count(manifest.operations), "operation"],
    [count(manifest.jobs), "job queue"],
  ]
    .filter(([n]) => n !== 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(", ");
  const derived = derivePermissions(
    manifest,
    contracts.map((c) => ({ digest: c.digest, manifest: c.manifest })),
  );
  const rules = derived.ok ? derived.rules : [];
  const pub = new Set(rules.filter((r) => r.dir === "pub").map((r) => r.subject)).size;
  const sub = new Set(rules.filter((r) => r.dir === "sub").map((r) => r.subject)).size;
  console.log(`${manifest.id} (${manifest.kind}) digest ${digest}`);
  console.log(`  ${surfaces || "uses other contracts only"}; NATS: publish ${pub} subjects, subscribe ${sub}`);
}

// 2. The local stack, as `trellis dev` runs it.
section("local stack");
const work = mkdtempSync(join(tmpdir(), "trellis-demo-"));
const children: ChildProcess[] = [];
const ports = { nats: await freePort(), monitor: await freePort(), trellis: await freePort() };
const started = await startDevStack({
  dir: join(work, "dev"),
  reset: false,
  ports,
  logger: createLogger({ level: "warn" }),
});
if (started.isErr()) {
  console.error(started.error);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}
const stack = started.value;
const { dev } = stack;
let exitCode = 0;
try {
  console.log(
    `nats-server ${stack.natsVersion} on ${dev.marker.natsUrl}, JetStream in ${relative(work, dev.dir)}/nats/data`,
  );
  console.log(`control plane: auth callout, Validate, admin RPCs; bootstrap on ${dev.marker.trellisUrl}`);

  // 3. SDKs for callers.
  section("SDKs");
  const generated = await capture([...cli, "generate", "examples"], root);
  for (const line of generated.split("\n").filter((l) => l.startsWith("ok "))) console.log(line);

  // 4. The service: `trellis run` creates the deployment, approves the digest (a dev stack), provisions a seed, runs main.ts.
  section("service: trellis run examples/orders/main.ts");
  const service = start([...cli, "run", "examples/orders/main.ts", "--dir", dev.dir, "--name", "orders"], root);
  await lineFrom(service, /orders service ready/);

  // 5. The client: an app session approved by the dev admin, then examples/orders-web/main.ts.
  section("client: examples/orders-web/main.ts");
  const app = await SessionKeys.generate();
  process.env.TRELLIS_CONFIG_DIR = dev.adminDir;
  const session = (await openCliSession()).orThrow();
  const ordersWeb = contracts.find((c) => c.manifest.id === "acme.orders-web@v1")!;
  (
    await session.client.call(authContract().API.owned.rpc["Auth.Admin.Sessions.Approve"], {
      contract: ordersWeb.manifest as never,
      sessionKey: app.sessionKey,
      userId: "alice",
      capabilities: ["acme.orders::read", "acme.orders::write", "acme.orders::fulfil"],
    })
  ).orThrow();
  await session.close();
  const shop = start([process.execPath, "examples/orders-web/main.ts"], root, {
    TRELLIS_URL: dev.marker.trellisUrl,
    TRELLIS_SESSION_KEY_SEED: app.exportSeed(),
  });
  const shopExit = await exited(shop);
  if (shopExit !== 0) exitCode = 1;

  // 6. Jobs: paying the order queued an invoice job, which the service worked off; the operator's view of it.
  section("jobs: trellis jobs list --service orders");
  const deadline = Date.now() + 10_000;
  let jobs = "";
  do {
    jobs = await capture([...cli, "jobs", "list", "--service", "orders", "--state", "completed"], root);
    if (/invoice/.test(jobs)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  process.stdout.write(jobs);
  if (!/invoice/.test(jobs)) {
    console.log("the invoice job did not complete in time");
    exitCode = 1;
  }

  // 7. Stop: SIGTERM to `trellis run`, which stops the service (it drains and exits 0).
  section("stop");
  service.kill("SIGTERM");
  const serviceExit = await exited(service);
  console.log(`orders service exited ${serviceExit}; control plane and nats-server stopping`);
  if (serviceExit !== 0) exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  exitCode = 1;
} finally {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);

/**
 * A child whose stdout is shown as it comes, and the CLI's own lines on stderr; the
 * JSON log lines only when it fails.
 */
function start(command: string[], cwd: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env: { ...process.env, NO_COLOR: "1", PINO_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  child.stdout!.on("data", (chunk: Buffer) => process.stdout.write(chunk));
  const errors: Buffer[] = [];
  child.stderr!.on("data", (chunk: Buffer) => {
    errors.push(chunk);
    for (const line of chunk.toString().split("\n")) {
      if (line.trim() !== "" && !line.startsWith("{")) console.log(line.replace(/^ℹ\s*/, ""));
    }
  });
  child.once("exit", (code) => {
    if (code !== 0) process.stderr.write(Buffer.concat(errors));
  });
  return child;
}

function lineFrom(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`${child.spawnargs.join(" ")} exited ${code}`)));
  });
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

async function capture(command: string[], cwd: string): Promise<string> {
  const child = spawn(command[0]!, command.slice(1), { cwd, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  await exited(child);
  return out;
}
