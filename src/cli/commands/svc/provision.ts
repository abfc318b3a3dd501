import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { authContract, err, ok } from "../../../contracts/index.ts";
import { formatSeedFile, readSeedFile, SessionKeys } from "../../../runtime/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { listFlag, type CommandOutcome } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { withSession } from "./with-session.ts";

type ProvisionArgs = {
  "seed-file"?: string | undefined;
  "session-key"?: string | undefined;
  out?: string | undefined;
  force?: boolean | undefined;
  json?: boolean | undefined;
};

/**
 * `trellis svc <id> provision`: the instance's seed is generated here and
 * only its public key goes to the control plane. The seed is printed (or
 * written to `--out`, 0600) once; an existing key can be registered instead.
 */
export async function runProvision(
  id: string,
  args: ProvisionArgs,
  rawArgs: readonly string[],
): Promise<CommandOutcome> {
  if (args["seed-file"] !== undefined && args["session-key"] !== undefined) {
    return err(usageFailure("--seed-file and --session-key are exclusive"));
  }
  let keys: SessionKeys | undefined;
  let sessionKey = args["session-key"];
  if (args["seed-file"] !== undefined) {
    const read = await readSeedFile(args["seed-file"]);
    if (read.isErr()) return err(usageFailure(read.error.issues[0]?.message ?? read.error.message));
    sessionKey = read.value.sessionKey;
  } else if (sessionKey === undefined) {
    keys = await SessionKeys.generate();
    sessionKey = keys.sessionKey;
    if (args.out !== undefined) {
      if (existsSync(args.out) && args.force !== true) return err(usageFailure(`${args.out} exists (use --force)`));
      writeFileSync(args.out, formatSeedFile(keys), { mode: 0o600 });
      chmodSync(args.out, 0o600);
    }
  }
  const key = sessionKey;
  return withSession(async ({ client }) => {
    const provisioned = await client.call(authContract().API.owned.rpc["Auth.Admin.Instances.Provision"], {
      deploymentId: id,
      sessionKey: key,
      capabilities: listFlag(rawArgs, "capability"),
    });
    if (provisioned.isErr()) return err(callFailure(provisioned.error));
    const { instance } = provisioned.value;
    const printSeed = keys !== undefined && args.out === undefined;
    if (args.json) writeJson({ instance, ...(printSeed ? { seed: keys!.exportSeed() } : {}) });
    else {
      writeResult(
        [
          `ok provisioned deployment=${id} instance=${instance.instanceId} sessionKey=${instance.sessionKey}`,
          ...(printSeed ? [`seed=${keys!.exportSeed()}`] : []),
          ...(args.out !== undefined && keys !== undefined ? [`seed written to ${args.out}`] : []),
        ].join("\n"),
      );
    }
    return ok(ExitCode.ok);
  });
}
