import { authContract, err, ok } from "../../../contracts/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { withSession } from "../svc/with-session.ts";

export default trellisCommand({
  name: "revoke",
  description: "Revoke a user session: its approval, the session, and its live connections",
  args: {
    "session-key": { type: "string", description: "The session key to revoke", required: true },
    json: { type: "boolean", description: "Print JSON" },
  },
  run: async (args) =>
    withSession(async ({ client }) => {
      const revoked = await client.call(authContract().API.owned.rpc["Auth.Admin.Sessions.Revoke"], {
        sessionKey: args["session-key"],
      });
      if (revoked.isErr()) return err(callFailure(revoked.error));
      if (args.json) writeJson(revoked.value);
      else writeResult(`ok session revoked kicked=${revoked.value.connectionsKicked}`);
      return ok(ExitCode.ok);
    }),
});
