import { existsSync, writeFileSync, chmodSync } from "node:fs";
import { err, ok } from "../../../contracts/index.ts";
import { formatPublicKeyFile, formatSeedFile, SessionKeys } from "../../../runtime/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { keysFromFlags, SEED_ARGS } from "./key-input.ts";

function writeKeyFile(path: string, content: string, mode: number, force: boolean): string | undefined {
  if (existsSync(path) && !force) return `${path} exists (use --force to overwrite it)`;
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return undefined;
}

export default trellisCommand({
  name: "new",
  description: "Generate a session key pair (or derive the key of a given seed)",
  args: {
    ...SEED_ARGS,
    out: { type: "string", description: "Write the seed to this file (mode 0600)" },
    pubout: { type: "string", description: "Write the session key to this file" },
    force: { type: "boolean", description: "Overwrite existing files" },
    json: { type: "boolean", description: "Print {seed?, sessionKey} as JSON" },
  },
  run: async (args) => {
    const given = await keysFromFlags(args);
    if (given.isErr()) return err(given.error);
    if (given.value !== undefined && args.out !== undefined) {
      return err(usageFailure("--out cannot be combined with --seed or --seed-file: the seed already exists"));
    }
    const keys = given.value ?? (await SessionKeys.generate());
    const force = args.force === true;
    if (args.out !== undefined) {
      const problem = writeKeyFile(args.out, formatSeedFile(keys), 0o600, force);
      if (problem !== undefined) return err(usageFailure(problem));
    }
    if (args.pubout !== undefined) {
      const problem = writeKeyFile(args.pubout, formatPublicKeyFile(keys), 0o644, force);
      if (problem !== undefined) return err(usageFailure(problem));
    }
    // The seed is printed only when it was just made and went nowhere else.
    const printSeed = given.value === undefined && args.out === undefined;
    if (args.json) writeJson({ ...(printSeed ? { seed: keys.exportSeed() } : {}), sessionKey: keys.sessionKey });
    else writeResult([...(printSeed ? [`seed=${keys.exportSeed()}`] : []), `sessionKey=${keys.sessionKey}`].join("\n"));
    return ok(ExitCode.ok);
  },
});
