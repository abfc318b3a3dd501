import * as v from "valibot";
import {
  base64urlEncode,
  createConnectToken,
  oauthInitValue,
  payloadHash,
  proofInput,
  SessionKeys,
  signDomain,
  signRequest,
  verifyConnectToken,
  verifyDomain,
  verifyRequestProof,
} from "../../runtime/index.ts";
import { sha256 } from "../../contracts/index.ts";
import type { SuiteRunner, VectorCheck } from "./types.ts";

const Vector = v.object({
  name: v.string(),
  seed: v.string(),
  sessionKey: v.string(),
  oauthInit: v.object({ redirectTo: v.string(), sig: v.string() }),
  flowBind: v.object({ flowId: v.string(), sig: v.string() }),
  natsConnect: v.object({ contractDigest: v.string(), iat: v.number(), iatSig: v.string(), runtimeToken: v.string() }),
  rpcProof: v.object({
    subject: v.string(),
    payload: v.string(),
    iat: v.number(),
    requestId: v.string(),
    payloadHashBase64url: v.string(),
    proofInputHex: v.string(),
    proofDigestBase64url: v.string(),
    proof: v.string(),
  }),
});

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const verdict = (accepted: boolean) => (accepted ? "accepted" : "rejected");

/**
 * Reproduces every value of an auth-proof vector from its seed (auth.md §9),
 * then checks that the verifiers accept the vector's own signatures.
 */
export const runAuthProofVector: SuiteRunner = async (raw) => {
  const parsed = v.safeParse(Vector, raw);
  if (!parsed.success) return { error: `malformed vector: ${v.summarize(parsed.issues)}` };
  const vector = parsed.output;
  const keys = await SessionKeys.fromSeed(vector.seed);
  if (keys.isErr()) return { error: `seed: ${keys.error.message}` };
  const signer = keys.value;
  const { oauthInit, flowBind, natsConnect, rpcProof } = vector;

  const oauthValue = oauthInitValue({ redirectTo: oauthInit.redirectTo });
  if (oauthValue.isErr()) return { error: oauthValue.error.message };
  const body = new TextEncoder().encode(rpcProof.payload);
  const fields = {
    sessionKey: signer.sessionKey,
    subject: rpcProof.subject,
    payloadHash: payloadHash(body),
    iat: rpcProof.iat,
    requestId: rpcProof.requestId,
  };
  const input = proofInput(fields);
  const headers = await signRequest(signer, { subject: rpcProof.subject, body, iat: rpcProof.iat, requestId: rpcProof.requestId });
  // Verification of the token happens "at" its iat, so freshness does not depend on today's date.
  const tokenCheck = await verifyConnectToken(natsConnect.runtimeToken, natsConnect.iat * 1000);

  const checks: VectorCheck[] = [
    { field: "sessionKey", expected: vector.sessionKey, actual: signer.sessionKey },
    { field: "oauthInit.sig", expected: oauthInit.sig, actual: await signDomain(signer, "oauth-init", oauthValue.value) },
    { field: "flowBind.sig", expected: flowBind.sig, actual: await signDomain(signer, "bind-flow", flowBind.flowId) },
    {
      field: "natsConnect.iatSig",
      expected: natsConnect.iatSig,
      actual: await signDomain(signer, "nats-connect", `${natsConnect.iat}:${natsConnect.contractDigest}`),
    },
    {
      field: "natsConnect.runtimeToken",
      expected: natsConnect.runtimeToken,
      actual: await createConnectToken(signer, natsConnect.contractDigest, natsConnect.iat),
    },
    { field: "rpcProof.payloadHashBase64url", expected: rpcProof.payloadHashBase64url, actual: base64urlEncode(fields.payloadHash) },
    { field: "rpcProof.proofInputHex", expected: rpcProof.proofInputHex, actual: hex(input) },
    { field: "rpcProof.proofDigestBase64url", expected: rpcProof.proofDigestBase64url, actual: base64urlEncode(sha256(input)) },
    { field: "rpcProof.proof", expected: rpcProof.proof, actual: headers.proof },
    // The verifiers must accept the vector's own values.
    {
      field: "verify oauthInit.sig",
      expected: "accepted",
      actual: verdict(await verifyDomain(vector.sessionKey, "oauth-init", oauthValue.value, oauthInit.sig)),
    },
    {
      field: "verify flowBind.sig",
      expected: "accepted",
      actual: verdict(await verifyDomain(vector.sessionKey, "bind-flow", flowBind.flowId, flowBind.sig)),
    },
    { field: "verify natsConnect.runtimeToken", expected: "accepted", actual: verdict(tokenCheck.isOk()) },
    {
      field: "verify rpcProof.proof",
      expected: "accepted",
      actual: verdict(await verifyRequestProof({ ...fields, sessionKey: vector.sessionKey }, rpcProof.proof)),
    },
  ];
  return checks;
};
