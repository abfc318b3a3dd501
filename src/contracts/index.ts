// Public surface of the contract model: everything outside src/contracts/
// imports from here and nowhere else.
export * from "./errors/trellis-error.ts";
export * from "./errors/builtin.ts";
export * from "./result/result.ts";
export * from "./result/async-result.ts";
export * from "./json/pure-json.ts";
export * from "./json/canonical.ts";
export * from "./json/digest.ts";
export * from "./manifest/types.ts";
export * from "./subjects/wildcard.ts";
export {
  encodeSubjectToken,
  fillSubjectTemplate,
  subscriptionSubject,
  type SubjectTokenValue,
} from "./subjects/template.ts";
export type * from "./permissions/types.ts";
export { activeContractsOf, type ActiveEntry } from "./permissions/active-contracts.ts";
export { effectiveContract, type EffectiveContract } from "./permissions/effective-contract.ts";
export { resolveUses } from "./permissions/resolve-uses.ts";
export { deriveRules, type DeriveOptions } from "./permissions/rules.ts";
export { AUTH_VALIDATE_SUBJECT } from "./permissions/own-rules.ts";
export { TRANSFER_DOWNLOAD_ANY, TRANSFER_UPLOAD_ANY } from "./permissions/uses-rules.ts";
export {
  grantForService,
  grantForUser,
  missingCapabilities,
  type Grant,
  type ServiceGrant,
  type UnmetRule,
} from "./permissions/grants.ts";
export { inboxPrefix, inboxSubscribeSubject, sessionKeyToken, withSessionInbox } from "./permissions/inbox.ts";
export { refuseTransferSurfaces, transferSurfaces, type TransferSurface } from "./permissions/transfer.ts";
export { surfaceSubjectProblem } from "./permissions/subject-guard.ts";
export * from "./catalog/catalog.ts";
export { activeContractIssues } from "./catalog/active-issues.ts";
export * from "./authoring/index.ts";
export * from "./jobs/index.ts";
export { parseManifest } from "./manifest/parse.ts";
export { normalizeManifest } from "./manifest/normalize.ts";
export { projectManifest, reachableSchemas } from "./manifest/project.ts";
export { contractDigest } from "./manifest/digest.ts";
export { loadManifest, type LoadedManifest } from "./manifest/load.ts";
export { listSurfaces, type SurfaceSummary } from "./manifest/surfaces.ts";
export { contractNamespace, isContractId, parseContractId, type ContractIdParts } from "./rules/identity.ts";
export {
  isCapabilityReference,
  parseCapabilityKey,
  PLATFORM_CAPABILITIES,
  type CapabilityKeyParts,
} from "./rules/capabilities.ts";
export { isDottedName, isSimpleName, MAX_NAME_LENGTH } from "./rules/names.ts";
export { MAX_SUBJECT_LENGTH, SUBJECT_ROOT, subjectProblem, subjectTemplatePointers } from "./rules/subjects.ts";
export { MAX_SCHEMA_DEPTH } from "./rules/schemas.ts";
export { MAX_SURFACES } from "./rules/limits.ts";
export { isPayloadPointer, parsePointer } from "./schema/pointer.ts";
export { checkSchemaPointer, isTokenable, resolvePointerInSchema, type Resolution } from "./schema/resolve.ts";
export * from "./builtin/builtin-contracts.ts";
export { authContract, ValidateRequestSchema, ValidateResponseSchema } from "./builtin/auth.ts";
export * as authAdmin from "./builtin/auth-admin.ts";
export { cliContract } from "./builtin/cli.ts";
export { coreContract } from "./builtin/core.ts";
export { healthContract, HealthCheckSchema, HealthReportSchema, HeartbeatSchema } from "./builtin/health.ts";
export { stateContract } from "./builtin/state.ts";
export {
  jobsContract,
  JobNotFoundError,
  JobsTailFrameSchema,
  JobsTailInputSchema,
  MAX_PAGE_LIMIT,
  type JobsContract,
} from "./builtin/jobs.ts";
export { CallerSchema, EventHeaderSchema } from "./builtin/shared-schemas.ts";
export { compareContracts } from "./compatibility/compare-contracts.ts";
export type { CompatibilityReport } from "./compatibility/report.ts";
export type { ChangeCode, DeliveryChange, Finding, Impact, SurfaceRef } from "./compatibility/finding.ts";
export {
  compareSchemas,
  type SchemaChange,
  type SchemaComparison,
} from "./compatibility/schema-compare/compare-schemas.ts";
export { schemaAccepts, type InclusionOptions } from "./compatibility/schema-compare/accepts.ts";
export type { Inclusion, Orientation, Reason, SchemaChangeCode } from "./compatibility/schema-compare/change.ts";
export { renderLocation, type Location, type LocationStep } from "./compatibility/schema-compare/location.ts";
export { checkJsonSchemaValue } from "./schema/json-value-check.ts";
