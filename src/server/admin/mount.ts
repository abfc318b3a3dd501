import { authContract, AuthError, err, ok, type TrellisError, type Result } from "../../contracts/index.ts";
import type { Caller, RequestAuthenticator, RpcServer } from "../../runtime/index.ts";
import { applyServiceApproval, revokeServiceApproval } from "./approvals.ts";
import type { AdminContext } from "./context.ts";
import { createDeployment, getDeployment, listDeployments, setDeploymentDisabled } from "./deployments.ts";
import { provisionInstance } from "./instances.ts";
import { approveSession, lastDenial, revokeUserSession } from "./sessions.ts";

/** Who decided, for the approval record. */
const actor = (caller: Caller) =>
  caller.type === "user" ? `user:${caller.userId}` : caller.type === "service" ? `service:${caller.name}` : "device";

/**
 * Serves `trellis.auth@v1` (auth.md §4, §6.5): Validate with the control
 * plane's in-process authenticator, the caller's own session, and the admin
 * surface. Capabilities come from the contract (`service` for Validate,
 * `admin` for the admin methods), checked by the RpcServer before any
 * handler runs.
 */
export function mountAuthRpcs(
  server: RpcServer,
  deps: { admin: AdminContext; authenticator: RequestAuthenticator },
): Result<void, TrellisError> {
  const rpc = authContract().API.owned.rpc;
  const { admin, authenticator } = deps;
  const mounts = [
    server.handle(rpc["Auth.Requests.Validate"], ({ input }) => authenticator.authenticate(input)),
    server.handle(rpc["Auth.Sessions.Me"], async ({ context }) => {
      const session = await admin.store.sessions.get(context.sessionKey);
      if (session.isErr() || session.value === undefined) return err(new AuthError("session_not_found"));
      const { contractId, contractDigest } = session.value.value;
      return ok({ sessionKey: context.sessionKey, contractId, contractDigest, caller: context.caller });
    }),
    server.handle(rpc["Auth.Sessions.Logout"], async ({ context }) => {
      if (context.caller.type !== "user")
        return err(new AuthError("forbidden", { message: "only user sessions log out" }));
      const revoked = await revokeUserSession(admin, context.sessionKey, "logout");
      return revoked.map(() => ({ loggedOut: true }));
    }),
    server.handle(rpc["Auth.Admin.Deployments.Create"], ({ input }) => createDeployment(admin, input.deploymentId)),
    server.handle(rpc["Auth.Admin.Deployments.List"], () => listDeployments(admin)),
    server.handle(rpc["Auth.Admin.Deployments.Get"], ({ input }) => getDeployment(admin, input.deploymentId)),
    server.handle(rpc["Auth.Admin.Deployments.Disable"], ({ input }) =>
      setDeploymentDisabled(admin, input.deploymentId, true),
    ),
    server.handle(rpc["Auth.Admin.Deployments.Enable"], ({ input }) =>
      setDeploymentDisabled(admin, input.deploymentId, false),
    ),
    server.handle(rpc["Auth.Admin.Approvals.Apply"], ({ input, context }) =>
      applyServiceApproval(admin, input, actor(context.caller)),
    ),
    server.handle(rpc["Auth.Admin.Approvals.Revoke"], ({ input }) => revokeServiceApproval(admin, input)),
    server.handle(rpc["Auth.Admin.Instances.Provision"], ({ input }) => provisionInstance(admin, input)),
    server.handle(rpc["Auth.Admin.Sessions.Approve"], ({ input, context }) =>
      approveSession(admin, input, actor(context.caller)),
    ),
    server.handle(rpc["Auth.Admin.Sessions.Revoke"], ({ input }) => revokeUserSession(admin, input.sessionKey)),
    server.handle(rpc["Auth.Admin.Denials.Get"], ({ input }) => lastDenial(admin, input)),
  ];
  for (const mounted of mounts) if (mounted.isErr()) return err(mounted.error);
  return ok(undefined);
}
