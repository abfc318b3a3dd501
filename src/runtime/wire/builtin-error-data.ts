import * as v from "valibot";
import {
  AuthError,
  err,
  KVError,
  ok,
  OperationAlreadyTerminalError,
  OperationMismatchError,
  OperationNotFoundError,
  StoreError,
  TransferError,
  TransportError,
  UnexpectedError,
  ValidationError,
  type Result,
  type TrellisError,
  type TrellisErrorOptions,
} from "../../contracts/index.ts";
import { toIssue } from "./schema-check.ts";

/**
 * Rebuilds the built-in error types of runtime-wire.md §1.5 from wire data,
 * keeping the wire `id`, `message` (where the class takes one), `context` and
 * `traceId` (§1.7 5b). Declared errors carry their own `fromData`.
 */

const envelope = {
  id: v.string(),
  message: v.string(),
  context: v.optional(v.record(v.string(), v.unknown())),
  traceId: v.optional(v.string()),
};
const optionalString = v.optional(v.string());

type Envelope = { id: string; message: string; context?: Record<string, unknown> | undefined; traceId?: string };

function options(data: Envelope): TrellisErrorOptions & { message: string } {
  const built: TrellisErrorOptions & { message: string } = { id: data.id, message: data.message };
  if (data.context !== undefined) built.context = data.context;
  if (data.traceId !== undefined) built.traceId = data.traceId;
  return built;
}

function decoder<TEntries extends v.ObjectEntries, TError extends TrellisError>(
  entries: TEntries,
  build: (data: v.InferOutput<v.ObjectSchema<TEntries & typeof envelope, undefined>>) => TError,
): (data: unknown) => Result<TError, ValidationError> {
  const schema = v.object({ ...envelope, ...entries });
  return (data) => {
    const parsed = v.safeParse(schema, data);
    if (!parsed.success) return err(new ValidationError(parsed.issues.map(toIssue)));
    return ok(build(parsed.output as v.InferOutput<v.ObjectSchema<TEntries & typeof envelope, undefined>>));
  };
}

const issueSchema = v.object({ path: v.string(), message: v.string() });

export const BUILTIN_ERROR_DECODERS: Readonly<
  Record<string, (data: unknown) => Result<TrellisError, ValidationError>>
> = {
  UnexpectedError: decoder({}, (d) => new UnexpectedError(options(d))),
  ValidationError: decoder({ issues: v.array(issueSchema) }, (d) => new ValidationError(d.issues, options(d))),
  AuthError: decoder({ reason: v.string() }, (d) => new AuthError(d.reason, options(d))),
  TransportError: decoder(
    { code: v.string(), hint: v.string() },
    (d) => new TransportError(d.code, d.hint, options(d)),
  ),
  KVError: decoder({ operation: optionalString }, (d) => new KVError(d.message, { ...options(d), ...op(d) })),
  StoreError: decoder({ operation: optionalString }, (d) => new StoreError(d.message, { ...options(d), ...op(d) })),
  TransferError: decoder(
    { operation: optionalString },
    (d) => new TransferError(d.message, { ...options(d), ...op(d) }),
  ),
  OperationNotFoundError: decoder(
    { operationId: v.string() },
    (d) => new OperationNotFoundError(d.operationId, options(d)),
  ),
  OperationAlreadyTerminalError: decoder(
    { operationId: v.string(), state: optionalString, operation: optionalString, service: optionalString },
    (d) =>
      new OperationAlreadyTerminalError(
        defined({ operationId: d.operationId, state: d.state, operation: d.operation, service: d.service }),
        options(d),
      ),
  ),
  OperationMismatchError: decoder(
    {
      operationId: v.string(),
      expectedService: v.string(),
      expectedOperation: v.string(),
      actualService: optionalString,
      actualOperation: optionalString,
    },
    (d) =>
      new OperationMismatchError(
        defined({
          operationId: d.operationId,
          expectedService: d.expectedService,
          expectedOperation: d.expectedOperation,
          actualService: d.actualService,
          actualOperation: d.actualOperation,
        }),
        options(d),
      ),
  ),
};

function op(data: { operation?: string | undefined }): { operation?: string } {
  return data.operation === undefined ? {} : { operation: data.operation };
}

/** Drops undefined members, so optional fields stay absent on a relayed error. */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
