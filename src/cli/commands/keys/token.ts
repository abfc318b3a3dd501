import { err, ok } from "../../../contracts/index.ts";
import { createConnectToken, natsConnectValue, signDomain } from "../../../runtime/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { iatFlag, requiredKeys, SEED_ARGS } from "./key-input.ts";

export default trellisCommand({
  name: "token",
  description: "Print a NATS connect token (auth.md §3) for a seed, contract digest and iat",
  args: {
    ...SEED_ARGS,
    digest: { type: "string", description: "The contract digest the connection presents", required: true },
    iat: { type: "string", description: "Unix seconds (default now)" },
    json: { type: "boolean", description: "Print the steps as JSON" },
  },
  run: async (args) => {
    const keys = await requiredKeys(args);
    if (keys.isErr()) return err(keys.error);
    const iat = iatFlag(args.iat);
    if (iat.isErr()) return err(iat.error);
    if (!/^[A-Za-z0-9_-]+$/.test(args.digest)) return err(usageFailure("--digest must be base64url characters"));
    const value = natsConnectValue(iat.value, args.digest);
    const result = {
      sessionKey: keys.value.sessionKey,
      contractDigest: args.digest,
      iat: iat.value,
      signedText: `nats-connect:${value}`,
      sig: await signDomain(keys.value, "nats-connect", value),
      token: await createConnectToken(keys.value, args.digest, iat.value),
    };
    if (args.json) writeJson(result);
    else
      writeResult(
        Object.entries(result)
          .map(([key, v]) => `${key}=${v}`)
          .join("\n"),
      );
    return ok(ExitCode.ok);
  },
});
