import { TrellisError, type TrellisErrorData, type TrellisErrorOptions } from "./trellis-error.ts";

/** One problem found in a value: `path` is a JSON pointer into it. */
export type ValidationIssue = { path: string; message: string };

export class UnexpectedError extends TrellisError<"UnexpectedError"> {
  readonly type = "UnexpectedError";
  constructor(options: TrellisErrorOptions = {}) {
    super("An unexpected error has occurred", options);
  }

  /** Wraps a thrown value; its message travels only as `context.causeMessage`. */
  static from(cause: unknown, options: Omit<TrellisErrorOptions, "cause"> = {}): UnexpectedError {
    const causeMessage = cause instanceof Error ? cause.message : String(cause);
    return new UnexpectedError({ ...options, cause, context: { ...options.context, causeMessage } });
  }
}

export class ValidationError extends TrellisError<"ValidationError"> {
  readonly type = "ValidationError";
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[], options: TrellisErrorOptions & { message?: string } = {}) {
    super(options.message ?? describeIssues(issues), options);
    this.issues = issues;
  }
  protected override fields() {
    return { issues: this.issues };
  }
}

function describeIssues(issues: ValidationIssue[]): string {
  const first = issues[0];
  if (first === undefined) return "Validation failed";
  const where = first.path === "" ? "" : `${first.path}: `;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `Validation failed: ${where}${first.message}${more}`;
}

export class AuthError extends TrellisError<"AuthError"> {
  readonly type = "AuthError";
  readonly reason: string;
  constructor(reason: string, options: TrellisErrorOptions & { message?: string } = {}) {
    super(options.message ?? `Not authorized: ${reason}`, options);
    this.reason = reason;
  }
  protected override fields() {
    return { reason: this.reason };
  }
}

export class TransportError extends TrellisError<"TransportError"> {
  readonly type = "TransportError";
  readonly code: string;
  readonly hint: string;
  constructor(code: string, hint: string, options: TrellisErrorOptions & { message?: string } = {}) {
    super(options.message ?? hint, options);
    this.code = code;
    this.hint = hint;
  }
  protected override fields() {
    return { code: this.code, hint: this.hint };
  }
}

type ResourceErrorOptions = TrellisErrorOptions & { operation?: string };

abstract class ResourceError<TType extends string> extends TrellisError<TType> {
  readonly operation: string | undefined;
  constructor(message: string, options: ResourceErrorOptions = {}) {
    super(message, options);
    this.operation = options.operation;
  }
  protected override fields(): Record<string, unknown> {
    return this.operation === undefined ? {} : { operation: this.operation };
  }
}

export class KVError extends ResourceError<"KVError"> {
  readonly type = "KVError";
}
export class StoreError extends ResourceError<"StoreError"> {
  readonly type = "StoreError";
}
export class TransferError extends ResourceError<"TransferError"> {
  readonly type = "TransferError";
}

export class OperationNotFoundError extends TrellisError<"OperationNotFoundError"> {
  readonly type = "OperationNotFoundError";
  readonly operationId: string;
  constructor(operationId: string, options: TrellisErrorOptions = {}) {
    super(`Operation '${operationId}' not found`, options);
    this.operationId = operationId;
  }
  protected override fields() {
    return { operationId: this.operationId };
  }
}

export type OperationAlreadyTerminalFields = {
  operationId: string;
  state?: string;
  operation?: string;
  service?: string;
};

export class OperationAlreadyTerminalError extends TrellisError<"OperationAlreadyTerminalError"> {
  readonly type = "OperationAlreadyTerminalError";
  readonly details: OperationAlreadyTerminalFields;
  constructor(details: OperationAlreadyTerminalFields, options: TrellisErrorOptions = {}) {
    super(`Operation '${details.operationId}' is already terminal`, options);
    this.details = details;
  }
  protected override fields() {
    return { ...this.details };
  }
}

export type OperationMismatchFields = {
  operationId: string;
  expectedService: string;
  expectedOperation: string;
  actualService?: string;
  actualOperation?: string;
};

export class OperationMismatchError extends TrellisError<"OperationMismatchError"> {
  readonly type = "OperationMismatchError";
  readonly details: OperationMismatchFields;
  constructor(details: OperationMismatchFields, options: TrellisErrorOptions = {}) {
    super(`Operation '${details.operationId}' belongs to another service or operation`, options);
    this.details = details;
  }
  protected override fields() {
    return { ...this.details };
  }
}

/**
 * Client-side only: a wire error whose type the caller does not know for the
 * method. Never sent on the wire; servers relay it as `UnexpectedError`.
 */
export class RemoteError extends TrellisError<"RemoteError"> {
  readonly type = "RemoteError";
  readonly remoteError: TrellisErrorData;
  constructor(remoteError: TrellisErrorData, options: TrellisErrorOptions = {}) {
    super(`Remote error ${remoteError.type}: ${remoteError.message}`, options);
    this.remoteError = remoteError;
  }
  protected override fields() {
    return { remoteError: this.remoteError };
  }
}

/** Error types any rpc may name in `errors` without declaring them (contracts.md §1). */
export const BUILTIN_ERROR_TYPES = [
  "AuthError",
  "KVError",
  "OperationAlreadyTerminalError",
  "OperationMismatchError",
  "OperationNotFoundError",
  "StoreError",
  "TransferError",
  "TransportError",
  "UnexpectedError",
  "ValidationError",
] as const;

export type BuiltinErrorType = (typeof BUILTIN_ERROR_TYPES)[number];

export function isBuiltinErrorType(type: string): type is BuiltinErrorType {
  return (BUILTIN_ERROR_TYPES as readonly string[]).includes(type);
}
