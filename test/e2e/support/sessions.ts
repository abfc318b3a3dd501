import type { NormalizedManifest } from "../../../src/contracts/index.ts";
import { SessionKeys } from "../../../src/runtime/index.ts";
import type { LocalStack } from "../../support/local-stack.ts";
import { rpc } from "../../server/admin-helpers.ts";

let users = 0;

/** A new app/agent session key approved by the stack's admin for `contract`, as a new user with `capabilities`. */
export async function approvedSession(
  stack: LocalStack,
  contract: NormalizedManifest,
  capabilities: string[],
): Promise<SessionKeys> {
  const keys = await SessionKeys.generate();
  (
    await stack.admin.client.call(rpc()["Auth.Admin.Sessions.Approve"], {
      contract: contract as never,
      sessionKey: keys.sessionKey,
      userId: `user${++users}`,
      capabilities,
    })
  ).orThrow();
  return keys;
}

/** The bootstrap URL of the stack's first control plane. */
export const trellisUrlOf = (stack: LocalStack): string => {
  const url = stack.planes[0]?.httpUrl;
  if (url === undefined) throw new Error("the stack's control plane has no bootstrap endpoint");
  return url;
};
