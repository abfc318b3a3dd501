import {
  isTrellisErrorData,
  RemoteError,
  TransportError,
  type ErrorClassRegistry,
  type Result,
  type TrellisError,
  type ValidationError,
} from "../../contracts/index.ts";
import { BUILTIN_ERROR_DECODERS } from "./builtin-error-data.ts";
import { bodyText, decodeJson } from "./json-body.ts";
import { TRANSPORT_CODES } from "./transport-errors.ts";

/** What a method declares about its errors: wire types, and the classes of the contract-local ones. */
export type DeclaredErrors = { readonly errors: readonly string[]; readonly errorClasses: ErrorClassRegistry };

/**
 * Turns the body of a `status: error` reply or frame into the error a caller
 * receives (runtime-wire.md §1.7 step 5): not an error → TransportError
 * `invalid_response`; a declared type known here → its typed class (invalid
 * data → ValidationError); anything else → RemoteError with the payload.
 */
export function decodeErrorBody(body: Uint8Array, declared: DeclaredErrors): TrellisError {
  const parsed = decodeJson(body);
  if (parsed.isErr() || !isTrellisErrorData(parsed.value)) {
    return new TransportError(TRANSPORT_CODES.invalidResponse, "the error reply is not a Trellis error", {
      context: { body: bodyText(body) },
    });
  }
  return decodeErrorData(parsed.value, declared);
}

/** The same for error data that arrived inside a frame (an operation's `{kind: "error", error}`). */
export function decodeErrorData(value: unknown, declared: DeclaredErrors): TrellisError {
  if (!isTrellisErrorData(value)) {
    return new TransportError(TRANSPORT_CODES.invalidResponse, "the error frame does not hold a Trellis error", {
      context: { error: value },
    });
  }
  const data = value;
  if (!declared.errors.includes(data.type)) return new RemoteError(data);
  const rebuilt = rebuild(data.type, data, declared);
  if (rebuilt === undefined) return new RemoteError(data);
  return rebuilt.isOk() ? rebuilt.value : rebuilt.error;
}

function rebuild(
  type: string,
  data: unknown,
  declared: DeclaredErrors,
): Result<TrellisError, ValidationError> | undefined {
  const local = Object.hasOwn(declared.errorClasses, type) ? declared.errorClasses[type] : undefined;
  if (local !== undefined) return local.fromData(data);
  const builtin = Object.hasOwn(BUILTIN_ERROR_DECODERS, type) ? BUILTIN_ERROR_DECODERS[type] : undefined;
  return builtin?.(data);
}
