// Public surface of contract authoring (contracts.md §7).
export {
  defineAgentContract,
  defineAppContract,
  defineDeviceContract,
  defineServiceContract,
} from "./define-contract.ts";
export { defineError } from "./define-error.ts";
export type {
  DefinedError,
  DefinedErrorClass,
  DefinedErrorOptions,
  ErrorData,
  ErrorDataSchema,
  ErrorFields,
  ErrorFieldSchemas,
  ErrorMessage,
  ErrorSpec,
  ReservedErrorField,
  WireErrorClass,
} from "./define-error.ts";
export { ContractDefinitionError } from "./contract-definition-error.ts";
export { emitJsonSchema, type JsonSchemaObject } from "./json-schema.ts";
export { BASELINE_USES, type BaselineAlias } from "./baseline-uses.ts";
export { isUseRecord, USE_RECORD_SURFACES } from "./use-record.ts";
// Generated SDKs build their `use(spec)` on it, so their records are accepted in `uses`.
export { createUseRecord } from "./use.ts";
export type * from "./types.ts";
export type * from "./surface-types.ts";
export type * from "./derived-types.ts";
export type * from "./resource-descriptors.ts";
export type * from "./job-descriptors.ts";
