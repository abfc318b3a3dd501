import { err, ok, type Result } from "../../../contracts/index.ts";
import { keysFromSeedText, readSeedFile, SessionKeys } from "../../../runtime/index.ts";
import { usageFailure, type CliFailure } from "../../app/cli-failure.ts";

/** The keys of `--seed` or `--seed-file` (exactly one), decoded strictly (auth.md §1). */
export async function keysFromFlags(args: {
  seed?: string | undefined;
  "seed-file"?: string | undefined;
}): Promise<Result<SessionKeys | undefined, CliFailure>> {
  if (args.seed !== undefined && args["seed-file"] !== undefined) {
    return err(usageFailure("--seed and --seed-file are exclusive"));
  }
  if (args["seed-file"] !== undefined) {
    const keys = await readSeedFile(args["seed-file"]);
    if (keys.isErr()) return err(usageFailure(keys.error.issues[0]?.message ?? keys.error.message));
    return ok(keys.value);
  }
  if (args.seed !== undefined) {
    const keys = await keysFromSeedText(args.seed);
    if (keys.isErr()) return err(usageFailure(`--seed: ${keys.error.issues[0]?.message ?? keys.error.message}`));
    return ok(keys.value);
  }
  return ok(undefined);
}

export async function requiredKeys(args: {
  seed?: string | undefined;
  "seed-file"?: string | undefined;
}): Promise<Result<SessionKeys, CliFailure>> {
  const keys = await keysFromFlags(args);
  if (keys.isErr()) return err(keys.error);
  if (keys.value === undefined) return err(usageFailure("needs --seed-file <file> (or --seed <seed>)"));
  return ok(keys.value);
}

/** `--iat` as auth.md §1 writes integers (decimal, no sign, no leading zeros), else now. */
export function iatFlag(value: string | undefined): Result<number, CliFailure> {
  if (value === undefined) return ok(Math.floor(Date.now() / 1000));
  const iat = Number(value);
  if (!/^(0|[1-9][0-9]*)$/.test(value) || !Number.isSafeInteger(iat)) {
    return err(usageFailure(`--iat must be decimal unix seconds, got '${value}'`));
  }
  return ok(iat);
}

export const SEED_ARGS = {
  seed: { type: "string", description: "The base64url seed (prefer --seed-file: arguments show up in process lists)" },
  "seed-file": { type: "string", description: "A seed file (43 characters and a newline)" },
} as const;
