// Public surface of the runtime library (`@trellis/runtime`). Contract
// authoring, Result and the error model come from the contract model, so a
// service needs only this one import.
export {
  AsyncResult,
  AuthError,
  ContractDefinitionError,
  defineAgentContract,
  defineAppContract,
  defineDeviceContract,
  defineError,
  defineServiceContract,
  Err,
  err,
  HealthReportSchema,
  isErr,
  isOk,
  KVError,
  Ok,
  ok,
  OperationAlreadyTerminalError,
  OperationMismatchError,
  OperationNotFoundError,
  RemoteError,
  Result,
  StoreError,
  TransferError,
  TransportError,
  TrellisError,
  UnexpectedError,
  ValidationError,
} from "../contracts/index.ts";
export type { TrellisErrorData, ValidationIssue } from "../contracts/index.ts";
