import { err, ok, sha256, type Result } from "../../contracts/index.ts";
import { base64urlEncode } from "./base64url.ts";
import type { AuthReason } from "./reason-codes.ts";
import type { SessionKeys } from "./session-keys.ts";
import { verifyDigestSignature } from "./signatures.ts";

/** The five signed fields of an RPC request proof (auth.md §4). */
export type ProofFields = {
  sessionKey: string;
  /** The exact subject published to. */
  subject: string;
  /** SHA-256 of the raw body as sent (the receiver computes it itself). */
  payloadHash: Uint8Array;
  iat: number;
  requestId: string;
};

/** The headers every authenticated request carries, named exactly as on the wire. */
export type ProofHeaders = { "session-key": string; proof: string; iat: string; "request-id": string };

const encoder = new TextEncoder();

/** Each field as a 4-byte big-endian length and its bytes, so no boundary can shift. */
export function proofInput(fields: ProofFields): Uint8Array {
  const parts = [
    encoder.encode(fields.sessionKey),
    encoder.encode(fields.subject),
    fields.payloadHash,
    encoder.encode(String(fields.iat)),
    encoder.encode(fields.requestId),
  ];
  const out = new Uint8Array(parts.reduce((total, part) => total + 4 + part.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}

export const payloadHash = (body: Uint8Array): Uint8Array => sha256(body);

/** Signs a request: `proof = sign(seed, SHA-256(proofInput))`. */
export async function signRequest(
  keys: SessionKeys,
  request: { subject: string; body: Uint8Array; iat: number; requestId: string },
): Promise<ProofHeaders> {
  const fields: ProofFields = {
    sessionKey: keys.sessionKey,
    subject: request.subject,
    payloadHash: payloadHash(request.body),
    iat: request.iat,
    requestId: request.requestId,
  };
  return {
    "session-key": keys.sessionKey,
    proof: await keys.signDigest(sha256(proofInput(fields))),
    iat: String(request.iat),
    "request-id": request.requestId,
  };
}

export function verifyRequestProof(fields: ProofFields, proof: string): Promise<boolean> {
  return verifyDigestSignature(fields.sessionKey, sha256(proofInput(fields)), proof);
}

export type ReceivedProof = { sessionKey: string; proof: string; iat: number; requestId: string };

const IAT_FORM = /^(0|[1-9][0-9]*)$/;

/** Step 1 of a receiving service (auth.md §4): the proof headers, or the reason they are unusable. */
export function readProofHeaders(get: (name: string) => string | undefined): Result<ReceivedProof, AuthReason> {
  const sessionKey = get("session-key");
  if (!sessionKey) return err("missing_session_key");
  const proof = get("proof");
  if (!proof) return err("missing_proof");
  const iatText = get("iat") ?? "";
  const iat = Number(iatText);
  if (!IAT_FORM.test(iatText) || !Number.isSafeInteger(iat)) return err("invalid_signature");
  const requestId = get("request-id");
  if (!requestId) return err("invalid_signature");
  return ok({ sessionKey, proof, iat, requestId });
}

/** The replay-cache key: a legal KV key whatever the request id holds (auth.md §4 step 4). */
export function replayKey(sessionKey: string, requestId: string): string {
  return base64urlEncode(sha256(encoder.encode(`${sessionKey}:${requestId}`)));
}
