// The README demo: an embedded local nats-server with JetStream in a
// temporary directory, the example contracts loaded from their TypeScript
// sources, stored in a JetStream KV bucket by digest, and printed with their
// surfaces and derived NATS permissions. Run through `npm run demo`.
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { mkdtempSync, readdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  derivePermissions,
  findNatsServer,
  NATS_SERVER_MISSING_HINT,
  readContractFile,
  renderSummary,
  startLocalNats,
  summarizeContract,
  type LoadedContract,
} from "../src/cli/index.ts";
import { digestText } from "../src/contracts/index.ts";

const examplesDir = join(import.meta.dir, "..", "examples");
const sources = readdirSync(examplesDir)
  .map((name) => join(examplesDir, name, "contract.ts"))
  .filter((path) => existsSync(path))
  .sort();

const binary = findNatsServer(import.meta.dir);
if (binary === undefined) {
  console.error(NATS_SERVER_MISSING_HINT);
  process.exit(1);
}

const workDir = mkdtempSync(join(tmpdir(), "trellis-demo-"));
const server = await startLocalNats({ binary: binary.path, workDir, serverName: "trellis-demo" });
try {
  const nc = await connect({ servers: server.url, name: "trellis-demo" });
  console.log(`nats-server ${binary.version} with JetStream on ${server.url} (store in ${workDir})\n`);

  const contracts: LoadedContract[] = [];
  for (const source of sources) {
    const loaded = await readContractFile(source);
    if (loaded.isErr()) {
      console.error(`${source}: ${loaded.error.message}`);
      for (const issue of loaded.error.issues ?? []) console.error(`  ${issue.path}: ${issue.message}`);
      process.exitCode = 1;
      continue;
    }
    contracts.push(loaded.value);
  }

  // Manifests are stored by digest, the way the control plane keeps approved contracts.
  const kv = await new Kvm(nc).create("demo_contracts", { history: 1 });
  for (const contract of contracts) await kv.put(contract.digest, contract.canonical);

  const dependencies = contracts.map(({ digest, manifest }) => ({ digest, manifest }));
  for (const contract of contracts) {
    const stored = await kv.get(contract.digest);
    const intact = stored !== null && digestText(stored.string()) === digestText(contract.canonical);
    console.log(`── ${contract.path.replace(`${examplesDir}/`, "examples/")} ${"─".repeat(40)}`);
    console.log(
      renderSummary(
        summarizeContract(contract.manifest, contract.digest),
        derivePermissions(contract.manifest, dependencies),
      ),
    );
    console.log(`stored in KV demo_contracts/${contract.digest}: ${intact ? "read back intact" : "MISMATCH"}\n`);
    if (!intact) process.exitCode = 1;
  }
  await nc.close();
} finally {
  await server.stop();
  rmSync(workDir, { recursive: true, force: true });
}
