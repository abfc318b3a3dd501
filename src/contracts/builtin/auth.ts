import * as v from "valibot";
import { defineServiceContract } from "../authoring/define-contract.ts";
import { CallerSchema, EmptySchema, EventHeaderSchema } from "./shared-schemas.ts";
import * as admin from "./auth-admin.ts";

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
        DeploymentRef: admin.DeploymentRefSchema,
        DeploymentResult: admin.DeploymentResultSchema,
        DeploymentList: admin.DeploymentListSchema,
        DeploymentDetail: admin.DeploymentDetailSchema,
        ApprovalApply: admin.ApprovalApplySchema,
        ApprovalPlan: admin.ApprovalPlanSchema,
        ApprovalRevoke: admin.ApprovalRevokeSchema,
        RevokeResult: admin.RevokeResultSchema,
        Provision: admin.ProvisionSchema,
        ProvisionResult: admin.ProvisionResultSchema,
        SessionApprove: admin.SessionApproveSchema,
        SessionApproveResult: admin.SessionApproveResultSchema,
        SessionRevoke: admin.SessionRevokeSchema,
        DenialQuery: admin.DenialQuerySchema,
        DenialResult: admin.DenialResultSchema,
      },
      errors: { NotFound: admin.NotFoundError, ApprovalChangeRequired: admin.ApprovalChangeRequiredError },
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
        // The admin surface behind `trellis svc` and `trellis sessions` (auth.md §6.5):
        // every method needs `admin`, which the `admin` capability group confers (design/auth.md).
        ...(() => {
          type Schema = Parameters<typeof ref.schema>[0];
          const admin = <I extends Schema, O extends Schema>(
            input: I,
            output: O,
            extra: Parameters<typeof ref.error>[0][] = [],
          ) => ({
            version: "v1" as const,
            input: ref.schema(input),
            output: ref.schema(output),
            capabilities: { call: ["admin"] },
            errors: [...extra, "AuthError" as const, "ValidationError" as const, "UnexpectedError" as const].map(
              (name) => ref.error(name),
            ),
          });
          return {
            "Auth.Admin.Deployments.Create": admin("DeploymentRef", "DeploymentResult"),
            "Auth.Admin.Deployments.List": admin("Empty", "DeploymentList"),
            "Auth.Admin.Deployments.Get": admin("DeploymentRef", "DeploymentDetail", ["NotFound"]),
            "Auth.Admin.Deployments.Disable": admin("DeploymentRef", "DeploymentResult", ["NotFound"]),
            "Auth.Admin.Deployments.Enable": admin("DeploymentRef", "DeploymentResult", ["NotFound"]),
            "Auth.Admin.Approvals.Apply": admin("ApprovalApply", "ApprovalPlan", [
              "NotFound",
              "ApprovalChangeRequired",
            ]),
            "Auth.Admin.Approvals.Revoke": admin("ApprovalRevoke", "RevokeResult", ["NotFound"]),
            "Auth.Admin.Instances.Provision": admin("Provision", "ProvisionResult", ["NotFound"]),
            "Auth.Admin.Sessions.Approve": admin("SessionApprove", "SessionApproveResult"),
            "Auth.Admin.Sessions.Revoke": admin("SessionRevoke", "RevokeResult", ["NotFound"]),
            "Auth.Admin.Denials.Get": admin("DenialQuery", "DenialResult"),
          };
        })(),
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
 * services, the caller's own session, and the admin surface behind
 * `trellis svc` and `trellis sessions`.
 */
export function authContract(): AuthContract {
  authContractModule ??= defineAuthContract();
  return authContractModule;
}
