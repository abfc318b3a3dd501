import { readFileSync } from "node:fs";
import { fromSeed, type KeyPair } from "@nats-io/nkeys";
import { err, ok, ValidationError, type Result } from "../../contracts/index.ts";
import type { ServerConfig } from "../config/load-config.ts";
import { CachedCurveKey, NativeSigningKey } from "./native-keys.ts";
import type { CalloutKeys } from "./respond.ts";

function readKeyPair(path: string, prefix: string, what: string): Result<KeyPair, ValidationError> {
  try {
    const seed = readFileSync(path, "utf8").trim();
    if (!seed.startsWith(prefix)) throw new Error(`expected a seed starting with ${prefix}`);
    return ok(fromSeed(new TextEncoder().encode(seed)));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return err(new ValidationError([{ path, message: `cannot read the ${what} (${reason})` }]));
  }
}

/**
 * The three secrets the responder holds (auth.md §5): the AUTH and TRELLIS
 * signing seeds and the callout xkey seed, each from its own 0600 file.
 * They never reach a log: KeyPairs do not print their seeds.
 */
export function loadCalloutKeys(config: ServerConfig): Result<CalloutKeys, ValidationError> {
  const authSigning = readKeyPair(config.callout.authSigningKey, "SA", "AUTH signing key");
  if (authSigning.isErr()) return err(authSigning.error);
  const trellisSigning = readKeyPair(config.callout.trellisSigningKey, "SA", "TRELLIS signing key");
  if (trellisSigning.isErr()) return err(trellisSigning.error);
  const xkey = readKeyPair(config.callout.xkey, "SX", "callout xkey");
  if (xkey.isErr()) return err(xkey.error);
  return ok({
    authAccount: config.callout.authAccount,
    authSigning: new NativeSigningKey(authSigning.value),
    trellisAccount: config.callout.trellisAccount,
    trellisSigning: new NativeSigningKey(trellisSigning.value),
    xkey: new CachedCurveKey(xkey.value),
  });
}
