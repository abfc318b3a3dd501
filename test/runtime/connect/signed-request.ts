import { ulid } from "ulid";
import { base64url, sha256 } from "../../../src/contracts/index.ts";
import { signRequest, type SessionKeys, type ValidateRequest } from "../../../src/runtime/index.ts";

const encoder = new TextEncoder();

/** What a receiving service hands its authenticator for a request `keys` signed (auth.md §4). */
export async function signedRequest(
  keys: SessionKeys,
  request: { subject: string; body?: string; capabilities?: string[]; requestId?: string },
): Promise<ValidateRequest> {
  const body = encoder.encode(request.body ?? "{}");
  const iat = Math.floor(Date.now() / 1000);
  const requestId = request.requestId ?? ulid();
  const headers = await signRequest(keys, { subject: request.subject, body, iat, requestId });
  return {
    sessionKey: keys.sessionKey,
    proof: headers.proof,
    subject: request.subject,
    payloadHash: base64url(sha256(body)),
    iat,
    requestId,
    ...(request.capabilities === undefined ? {} : { capabilities: request.capabilities }),
  };
}
