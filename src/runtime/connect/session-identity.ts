import { err, ok, ValidationError, type Result } from "../../contracts/index.ts";
import { keysFromSeedText, readSeedFile } from "../auth/key-files.ts";
import { SessionKeys } from "../auth/session-keys.ts";

/** Exactly one way to name the session key: the seed itself (from the environment), a seed file, or keys in hand. */
export type SessionIdentity =
  | { sessionKeySeed: string; sessionKeySeedFile?: undefined; keys?: undefined }
  | { sessionKeySeedFile: string; sessionKeySeed?: undefined; keys?: undefined }
  | { keys: SessionKeys; sessionKeySeed?: undefined; sessionKeySeedFile?: undefined };

/** The same fields, unchecked: what `sessionKeysOf` sorts out at run time (JavaScript callers, environment variables). */
export type SessionIdentityFields = { keys?: SessionKeys; sessionKeySeed?: string; sessionKeySeedFile?: string };

/** The session keys of a connect; the seed itself is never part of an error. */
export async function sessionKeysOf(identity: SessionIdentityFields): Promise<Result<SessionKeys, ValidationError>> {
  const given = [identity.keys, identity.sessionKeySeed, identity.sessionKeySeedFile].filter((x) => x !== undefined);
  if (given.length !== 1) {
    return err(
      new ValidationError([
        { path: "/sessionKeySeed", message: "give exactly one of sessionKeySeed, sessionKeySeedFile or keys" },
      ]),
    );
  }
  if (identity.keys !== undefined) return ok(identity.keys);
  if (identity.sessionKeySeedFile !== undefined) return readSeedFile(identity.sessionKeySeedFile);
  const keys = await keysFromSeedText(identity.sessionKeySeed ?? "");
  return keys.mapErr(
    () =>
      new ValidationError([
        { path: "/sessionKeySeed", message: "not a base64url Ed25519 seed (43 characters encoding 32 bytes)" },
      ]),
  );
}
