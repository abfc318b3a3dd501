import { authContract, type NormalizedManifest } from "../../src/contracts/index.ts";
import { SessionKeys } from "../../src/runtime/index.ts";
import type { LocalStack } from "../support/local-stack.ts";

const rpc = () => authContract().API.owned.rpc;

/** Creates the deployment (if needed) and approves the manifest for it, accepting digest changes. */
export async function approveService(
  stack: LocalStack,
  deploymentId: string,
  manifest: NormalizedManifest,
  capabilities: string[] = [],
) {
  (await stack.admin.client.call(rpc()["Auth.Admin.Deployments.Create"], { deploymentId })).orThrow();
  return (
    await stack.admin.client.call(rpc()["Auth.Admin.Approvals.Apply"], {
      deploymentId,
      contract: manifest as never,
      capabilities,
      acceptChange: true,
    })
  ).orThrow();
}

/** A new instance key of the deployment, generated here; only the public key is sent. */
export async function provisionInstance(stack: LocalStack, deploymentId: string): Promise<SessionKeys> {
  const keys = await SessionKeys.generate();
  (
    await stack.admin.client.call(rpc()["Auth.Admin.Instances.Provision"], {
      deploymentId,
      sessionKey: keys.sessionKey,
    })
  ).orThrow();
  return keys;
}

export async function lastDenial(stack: LocalStack, query: { sessionKey?: string; host?: string }) {
  // Denials are written right after the answer; a short wait covers that bookkeeping.
  for (let attempt = 0; attempt < 40; attempt++) {
    const found = (await stack.admin.client.call(rpc()["Auth.Admin.Denials.Get"], query)).orThrow();
    if (found.denial !== undefined) return found.denial;
    await Bun.sleep(25);
  }
  return undefined;
}

export { rpc };
