import { readFileSync } from "node:fs";
import { err, ValidationError, type Result } from "../../contracts/index.ts";
import { SessionKeys } from "./session-keys.ts";

/** A seed file: the 43-character seed and one LF (auth.md §1). */
export const formatSeedFile = (keys: SessionKeys): string => `${keys.exportSeed()}\n`;
export const formatPublicKeyFile = (keys: SessionKeys): string => `${keys.sessionKey}\n`;

/** Trims ASCII whitespace and decodes strictly. */
export function keysFromSeedText(text: string): Promise<Result<SessionKeys, ValidationError>> {
  return SessionKeys.fromSeed(text.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, ""));
}

export async function readSeedFile(path: string): Promise<Result<SessionKeys, ValidationError>> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    return err(new ValidationError([{ path, message: `cannot read the seed file (${reason})` }]));
  }
  const keys = await keysFromSeedText(text);
  return keys.mapErr((error) => new ValidationError(error.issues.map((issue) => ({ ...issue, path }))));
}
