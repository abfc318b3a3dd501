import { err, ok, ValidationError, type Result } from "../../contracts/index.ts";

/** Sentinel credentials (auth.md §3): a user JWT denied every subject and its nkey seed. */
export type SentinelCredentials = { jwt: string; seed: string };

const JWT_BLOCK = /-----BEGIN NATS USER JWT-----\s*\n\s*([^\s-][^\n]*?)\s*\n\s*-+END NATS USER JWT-+/;
const SEED_BLOCK = /-----BEGIN USER NKEY SEED-----\s*\n\s*(SU[A-Z2-7]+)\s*\n\s*-+END USER NKEY SEED-+/;

/** Reads a NATS creds file's text (`nsc`/`fmtCreds` layout). */
export function parseCredsText(text: string): Result<SentinelCredentials, ValidationError> {
  const jwt = JWT_BLOCK.exec(text)?.[1];
  const seed = SEED_BLOCK.exec(text)?.[1];
  if (jwt === undefined || seed === undefined) {
    return err(new ValidationError([{ path: "", message: "not a NATS creds file (user JWT and nkey seed blocks)" }]));
  }
  return ok({ jwt, seed });
}
