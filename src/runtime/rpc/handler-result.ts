import { AsyncResult, Err, err, Ok, TrellisError, UnexpectedError, type Result } from "../../contracts/index.ts";

/** What a handler may return (runtime-wire.md §2): a Result, an AsyncResult or a Promise of a Result. */
export type HandlerResult<T> =
  Result<T, TrellisError> | AsyncResult<T, TrellisError> | PromiseLike<Result<T, TrellisError>>;

/**
 * Runs a handler and settles what it returns into a Result: a throw (or a
 * rejected promise) becomes UnexpectedError with the thrown value as cause;
 * anything that is not a Result with a Trellis error is a bug in the handler,
 * reported the same way.
 */
export async function settleHandler<T>(run: () => HandlerResult<T>): Promise<Result<T, TrellisError>> {
  let settled: unknown;
  try {
    settled = await run();
  } catch (cause) {
    return err(UnexpectedError.from(cause));
  }
  if (settled instanceof Ok) return settled as Ok<T, TrellisError>;
  if (settled instanceof Err) {
    const error: unknown = settled.error;
    if (error instanceof TrellisError) return settled as Err<T, TrellisError>;
    return err(UnexpectedError.from(error, { context: { reason: "the handler's Err does not hold a Trellis error" } }));
  }
  return err(new UnexpectedError({ context: { reason: "the handler did not return a Result" } }));
}
