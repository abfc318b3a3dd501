import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { authContract, err, ok, ValidationError, type Result } from "../../contracts/index.ts";
import { formatSeedFile, readSeedFile, SessionKeys, type RpcClient } from "../../runtime/index.ts";

export type Deployed = { keys: SessionKeys; seedFile: string; change: string; instanceId: string };

const admin = () => authContract().API.owned.rpc;

/**
 * Steps 2-4 of `run` on a dev stack (tooling.md §3.5): create the deployment
 * (a no-op when it exists), approve the digest, accepting a change and
 * replacing older digests (automatic only here: a dev stack is one
 * developer's), and provision `<seeds>/<name>.seed` (made once, 0600; only
 * its public key reaches the control plane).
 */
export async function deployForDev(
  client: RpcClient,
  options: { name: string; manifest: Record<string, unknown>; seedsDir: string; capabilities: string[] },
): Promise<Result<Deployed, string>> {
  const { name } = options;
  const created = await client.call(admin()["Auth.Admin.Deployments.Create"], { deploymentId: name });
  if (created.isErr()) return err(`create deployment ${name}: ${describe(created.error)}`);
  const applied = await client.call(admin()["Auth.Admin.Approvals.Apply"], {
    deploymentId: name,
    contract: options.manifest as never,
    capabilities: options.capabilities,
    acceptChange: true,
    replace: true,
  });
  if (applied.isErr()) return err(`approve for ${name}: ${describe(applied.error)}`);

  mkdirSync(options.seedsDir, { recursive: true, mode: 0o700 });
  const seedFile = join(options.seedsDir, `${name}.seed`);
  let keys: SessionKeys;
  if (existsSync(seedFile)) {
    const read = await readSeedFile(seedFile);
    if (read.isErr()) return err(`${seedFile}: ${read.error.issues[0]?.message ?? read.error.message}`);
    keys = read.value;
  } else {
    keys = await SessionKeys.generate();
    writeFileSync(seedFile, formatSeedFile(keys), { mode: 0o600 });
    chmodSync(seedFile, 0o600);
  }
  const provisioned = await client.call(admin()["Auth.Admin.Instances.Provision"], {
    deploymentId: name,
    sessionKey: keys.sessionKey,
  });
  if (provisioned.isErr()) return err(`provision ${name}: ${describe(provisioned.error)}`);
  return ok({ keys, seedFile, change: applied.value.change, instanceId: provisioned.value.instance.instanceId });
}

function describe(error: { message: string }): string {
  if (error instanceof ValidationError && error.issues.length > 0) {
    return `${error.message}\n${error.issues.map((issue) => `  ${issue.path}: ${issue.message}`).join("\n")}`;
  }
  return error.message;
}
