import type { Msg } from "@nats-io/nats-core";
import {
  AuthError,
  base64url,
  err,
  ok,
  sha256,
  type Result,
  type SurfaceSchema,
  type TrellisError,
  type InferSurfaceSchema,
} from "../../contracts/index.ts";
import { readProofHeaders } from "../auth/request-proof.ts";
import { headerReader } from "../wire/headers.ts";
import { decodeJson } from "../wire/json-body.ts";
import { checkSchema } from "../wire/schema-check.ts";
import type { Caller, RequestAuthenticator } from "./request-authenticator.ts";

/** How a request is admitted: its input schema, the capabilities it needs, and whether it needs a caller at all. */
export type AdmissionPolicy<TInput extends SurfaceSchema> = {
  input: TInput;
  capabilities: readonly string[];
  /** `false` only for internal methods (runtime-wire.md §1.2 step 4). */
  authRequired: boolean;
  authenticator: RequestAuthenticator;
};

export type Admitted<TInput> = {
  input: TInput;
  /** Present whenever authentication ran. */
  caller: Caller | undefined;
  sessionKey: string | undefined;
};

/** Where admission stopped, for logs and the `trellis.errors` phase label. */
export type AdmissionPhase = "decode" | "validate" | "authenticate" | "authorize";
export type Rejection = { phase: AdmissionPhase; error: TrellisError };

/**
 * Steps 2-4 of runtime-wire.md §1.2, shared by RPCs and feeds: parse JSON
 * (→ UnexpectedError), validate with the input schema (→ ValidationError),
 * authenticate over the raw received bytes (auth.md §4; a Validate error is
 * relayed unchanged, `allowed: false` → AuthError `insufficient_permissions`).
 * The reply-subject check (step 5) is the caller's, since it guards every
 * reply, error replies included.
 */
export async function admitRequest<TInput extends SurfaceSchema>(
  msg: Msg,
  policy: AdmissionPolicy<TInput>,
): Promise<Result<Admitted<InferSurfaceSchema<TInput>>, Rejection>> {
  const parsed = decodeJson(msg.data);
  if (parsed.isErr()) return err({ phase: "decode", error: parsed.error });
  const input = checkSchema(policy.input, parsed.value);
  if (input.isErr()) return err({ phase: "validate", error: input.error });

  const header = headerReader(msg);
  if (!policy.authRequired) return ok({ input: input.value, caller: undefined, sessionKey: header("session-key") });

  const proof = readProofHeaders(header);
  if (proof.isErr()) return err({ phase: "authenticate", error: new AuthError(proof.error) });
  const request = {
    sessionKey: proof.value.sessionKey,
    proof: proof.value.proof,
    subject: msg.subject,
    // Computed here from the bytes as received: a caller-supplied hash is never trusted.
    payloadHash: base64url(sha256(msg.data)),
    iat: proof.value.iat,
    requestId: proof.value.requestId,
    ...(policy.capabilities.length > 0 ? { capabilities: [...policy.capabilities] } : {}),
  };
  const validated = await policy.authenticator.authenticate(request);
  if (validated.isErr()) return err({ phase: "authenticate", error: validated.error });
  if (!validated.value.allowed) {
    const error = new AuthError("insufficient_permissions", {
      context: {
        requiredCapabilities: [...policy.capabilities],
        userCapabilities: [...validated.value.caller.capabilities],
      },
    });
    return err({ phase: "authorize", error });
  }
  return ok({ input: input.value, caller: validated.value.caller, sessionKey: proof.value.sessionKey });
}
