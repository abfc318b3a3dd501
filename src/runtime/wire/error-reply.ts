import { RemoteError, UnexpectedError, type TrellisError, type TrellisErrorData } from "../../contracts/index.ts";
import { encodeJson } from "./json-body.ts";

/** Who answered, merged into every error's `context` before it is sent (runtime-wire.md §1.3). */
export type ErrorReplyContext = {
  method: string;
  requestId: string | undefined;
  service: string;
  contractId: string;
  contractDigest: string;
  traceId: string | undefined;
};

/**
 * The body of an error reply or frame: exactly one serialized Trellis error.
 * A RemoteError (a relayed downstream failure) never goes on the wire; it is
 * sent as an UnexpectedError. `context.subject` is removed (subjects may carry
 * payload values) and the error's stack and cause stay behind.
 */
export function errorReplyData(error: TrellisError, reply: ErrorReplyContext): TrellisErrorData {
  const wire = error instanceof RemoteError ? relayedAsUnexpected(error) : error;
  const data = { ...wire.toJSON() };
  const context: Record<string, unknown> = { ...data.context };
  delete context.subject;
  context.method = reply.method;
  if (reply.requestId !== undefined) context.requestId = reply.requestId;
  context.service = reply.service;
  context.contractId = reply.contractId;
  context.contractDigest = reply.contractDigest;
  data.context = context;
  if (reply.traceId !== undefined) data.traceId = reply.traceId;
  return data;
}

export function errorReplyBody(error: TrellisError, reply: ErrorReplyContext): Uint8Array {
  const encoded = encodeJson(errorReplyData(error, reply));
  // A context value JSON cannot write must not cost the caller its answer: send the bare UnexpectedError.
  return encoded.isOk() ? encoded.value : encodeJson(errorReplyData(new UnexpectedError(), reply)).orThrow();
}

function relayedAsUnexpected(error: RemoteError): UnexpectedError {
  return new UnexpectedError({
    cause: error,
    context: { causeMessage: error.message, remoteErrorType: error.remoteError.type },
  });
}
