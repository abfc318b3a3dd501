import { authContract, err, ok } from "../../../contracts/index.ts";
import { listFlag, trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { readContractFile } from "../../contract-files/read-contract-file.ts";
import { callFailure } from "../../session/call-failure.ts";
import { withSession } from "../svc/with-session.ts";

export default trellisCommand({
  name: "approve",
  description: "Approve a session key for an app or agent contract (auth.md §6.5)",
  args: {
    contract: { type: "string", description: "The app/agent contract (manifest .json or source)", required: true },
    "session-key": { type: "string", description: "The session key to bind", required: true },
    user: { type: "string", description: "User id (default sk_<first 16 chars of the key>)" },
    capability: { type: "string", description: "Capabilities to grant the user (repeatable, comma-separated)" },
    group: { type: "string", description: "Capability groups to add to the user (admin)" },
    json: { type: "boolean", description: "Print the user, approval and session as JSON" },
  },
  run: async (args, { rawArgs }) => {
    const loaded = await readContractFile(args.contract);
    if (loaded.isErr()) return err(loaded.error);
    return withSession(async ({ client }) => {
      const approved = await client.call(authContract().API.owned.rpc["Auth.Admin.Sessions.Approve"], {
        contract: loaded.value.manifest,
        sessionKey: args["session-key"],
        ...(args.user === undefined ? {} : { userId: args.user }),
        capabilities: listFlag(rawArgs, "capability"),
        capabilityGroups: listFlag(rawArgs, "group"),
      });
      if (approved.isErr()) return err(callFailure(approved.error));
      const { user, approval } = approved.value;
      if (args.json) writeJson(approved.value);
      else {
        writeResult(
          `ok session approved user=${user.userId} contract=${approval.contractId} digest=${approval.contractDigest} capabilities=${approval.capabilities.join(",") || "-"}`,
        );
      }
      return ok(ExitCode.ok);
    });
  },
});
