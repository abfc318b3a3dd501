import type {
  AuthError,
  KVError,
  OperationAlreadyTerminalError,
  OperationMismatchError,
  OperationNotFoundError,
  RemoteError,
  RpcSurface,
  StoreError,
  TransferError,
  TransportError,
  UnexpectedError,
  ValidationError,
  WireErrorClass,
} from "../../contracts/index.ts";

/** Built-in error classes by wire type (runtime-wire.md §1.5). */
export type BuiltinErrorsByType = {
  AuthError: AuthError;
  ValidationError: ValidationError;
  UnexpectedError: UnexpectedError;
  TransportError: TransportError;
  KVError: KVError;
  StoreError: StoreError;
  TransferError: TransferError;
  OperationNotFoundError: OperationNotFoundError;
  OperationAlreadyTerminalError: OperationAlreadyTerminalError;
  OperationMismatchError: OperationMismatchError;
};

type InstanceOf<TClass> = TClass extends WireErrorClass<string, infer TInstance> ? TInstance : never;

/** Instances of the contract-local errors a method declares. */
export type DeclaredLocalError<S extends RpcSurface> = {
  [K in keyof S["errorClasses"]]: InstanceOf<S["errorClasses"][K]>;
}[keyof S["errorClasses"]];

/** Instances of the built-in errors a method declares. */
export type DeclaredBuiltinError<S extends RpcSurface> = BuiltinErrorsByType[S["errors"][number] &
  keyof BuiltinErrorsByType];

/**
 * Every error a call can return (§1.7): the declared ones as typed classes,
 * plus what the client itself produces — ValidationError (bad input or
 * output), TransportError (no reply), RemoteError (an undeclared type) and
 * UnexpectedError (a bug).
 */
export type RpcCallError<S extends RpcSurface> =
  DeclaredLocalError<S> | DeclaredBuiltinError<S> | ValidationError | TransportError | RemoteError | UnexpectedError;
