import { err, ok, UnexpectedError, ValidationError, type Result } from "../../contracts/index.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Bodies are UTF-8 JSON (runtime-wire.md §0). A value JSON cannot write (a BigInt, a cycle) fails here. */
export function encodeJson(value: unknown): Result<Uint8Array, ValidationError> {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return err(new ValidationError([{ path: "", message: "is not a JSON value" }]));
    return ok(encoder.encode(text));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return err(new ValidationError([{ path: "", message: `cannot be written as JSON (${reason})` }], { cause }));
  }
}

/** Parses a received body; invalid UTF-8 or JSON is an UnexpectedError (§1.2 step 2). */
export function decodeJson(bytes: Uint8Array): Result<unknown, UnexpectedError> {
  try {
    return ok(JSON.parse(decoder.decode(bytes)));
  } catch (cause) {
    return err(UnexpectedError.from(cause, { context: { reason: "body is not UTF-8 JSON" } }));
  }
}

/** The raw text of a body, for diagnostics (`context.frame`); never throws. */
export function bodyText(bytes: Uint8Array, limit = 1024): string {
  return new TextDecoder().decode(bytes.subarray(0, limit));
}
