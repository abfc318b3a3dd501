import * as v from "valibot";
import { defineServiceContract } from "../authoring/define-contract.ts";
import { CallerSchema, EmptySchema, EventHeaderSchema } from "./shared-schemas.ts";

export const ValidateRequestSchema = v.object({
  sessionKey: v.string(),
  proof: v.string(),
  subject: v.string(),
  payloadHash: v.string(),
  iat: v.pipe(v.number(), v.safeInteger()),
  requestId: v.string(),
  capabilities: v.optional(v.array(v.pipe(v.string(), v.minLength(1)))),
});

export const ValidateResponseSchema = v.object({
  allowed: v.boolean(),
  inboxPrefix: v.string(),
  caller: CallerSchema,
});

export const SessionInfoSchema = v.object({
  sessionKey: v.string(),
  contractId: v.string(),
  contractDigest: v.string(),
  caller: CallerSchema,
});

export const LogoutResultSchema = v.object({ loggedOut: v.boolean() });

export const SessionRevokedSchema = v.object({
  header: EventHeaderSchema,
  sessionKey: v.string(),
  reason: v.string(),
});

const defineAuthContract = () =>
  defineServiceContract(
    {
      schemas: {
        Empty: EmptySchema,
        ValidateRequest: ValidateRequestSchema,
        ValidateResponse: ValidateResponseSchema,
        SessionInfo: SessionInfoSchema,
        LogoutResult: LogoutResultSchema,
        SessionRevoked: SessionRevokedSchema,
      },
    },
    (ref) => ({
      id: "trellis.auth@v1",
      displayName: "Trellis auth",
      description: "Request validation, sessions and approvals.",
      rpc: {
        "Auth.Requests.Validate": {
          version: "v1",
          input: ref.schema("ValidateRequest"),
          output: ref.schema("ValidateResponse"),
          capabilities: { call: ["service"] },
          errors: [ref.error("AuthError"), ref.error("ValidationError"), ref.error("UnexpectedError")],
        },
        "Auth.Sessions.Me": {
          version: "v1",
          input: ref.schema("Empty"),
          output: ref.schema("SessionInfo"),
          errors: [ref.error("AuthError"), ref.error("UnexpectedError")],
        },
        "Auth.Sessions.Logout": {
          version: "v1",
          input: ref.schema("Empty"),
          output: ref.schema("LogoutResult"),
          errors: [ref.error("AuthError"), ref.error("UnexpectedError")],
        },
      },
      events: {
        "Auth.Sessions.Revoked": {
          version: "v1",
          event: ref.schema("SessionRevoked"),
          capabilities: { subscribe: ["service"] },
        },
      },
    }),
  );

export type AuthContract = ReturnType<typeof defineAuthContract>;
let authContractModule: AuthContract | undefined;

/**
 * `trellis.auth@v1`, served by the control plane: request validation for
 * services and the caller's own session. The admin surface behind
 * `trellis svc` and `trellis sessions` is added with the control plane.
 */
export function authContract(): AuthContract {
  authContractModule ??= defineAuthContract();
  return authContractModule;
}
