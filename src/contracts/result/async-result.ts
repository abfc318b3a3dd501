import { UnexpectedError } from "../errors/builtin.ts";
import { Err, Ok, Result } from "./result.ts";

type Awaitable<T> = T | PromiseLike<T>;
type ResultLike<T, E> = Result<T, E> | AsyncResult<T, E> | PromiseLike<Result<T, E>>;
type OkOf<R> = Awaited<R> extends Result<infer T, unknown> ? T : never;
type ErrOf<R> = Awaited<R> extends Result<unknown, infer E> ? E : never;

/**
 * A Result that is still being computed. It is awaitable, resolves to a
 * `Result`, and never rejects: a rejection can only come from a bug, and it
 * surfaces as `Err(UnexpectedError)` instead of an unhandled rejection.
 */
export class AsyncResult<T, E> implements PromiseLike<Result<T, E>> {
  readonly #promise: Promise<Result<T, E>>;

  constructor(source: ResultLike<T, E>) {
    this.#promise = Promise.resolve(source).then(
      (result) => result,
      (cause: unknown) => new Err<T, E>(UnexpectedError.from(cause) as E),
    );
  }

  static ok<T>(value: T): AsyncResult<T, never> {
    return new AsyncResult<T, never>(new Ok(value));
  }
  static err<E>(error: E): AsyncResult<never, E> {
    return new AsyncResult<never, E>(new Err(error));
  }
  /** Runs `fn`; a throw or rejection becomes `Err(UnexpectedError)`. */
  static try<T>(fn: () => Awaitable<T>): AsyncResult<T, UnexpectedError> {
    return new AsyncResult(
      (async () => {
        try {
          return new Ok<T, UnexpectedError>(await fn());
        } catch (cause) {
          return new Err<T, UnexpectedError>(UnexpectedError.from(cause));
        }
      })(),
    );
  }

  /** Every value in order, or the first Err in order (all inputs are awaited). */
  static all<const R extends readonly ResultLike<unknown, unknown>[]>(
    results: R,
  ): AsyncResult<{ -readonly [K in keyof R]: OkOf<R[K]> }, ErrOf<R[number]>> {
    return new AsyncResult(
      Promise.all(results.map((result) => new AsyncResult(result))).then(
        (settled) => Result.all(settled) as Result<{ -readonly [K in keyof R]: OkOf<R[K]> }, ErrOf<R[number]>>,
      ),
    );
  }

  /** The first Ok in order, or the last Err. `results` must not be empty. */
  static any<const R extends readonly [ResultLike<unknown, unknown>, ...ResultLike<unknown, unknown>[]]>(
    results: R,
  ): AsyncResult<OkOf<R[number]>, ErrOf<R[number]>> {
    return new AsyncResult(
      Promise.all(results.map((result) => new AsyncResult(result))).then(
        (settled) =>
          Result.any(settled as [Result<unknown, unknown>, ...Result<unknown, unknown>[]]) as Result<
            OkOf<R[number]>,
            ErrOf<R[number]>
          >,
      ),
    );
  }

  then<A = Result<T, E>, B = never>(
    onFulfilled?: ((value: Result<T, E>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#promise.then(onFulfilled, onRejected);
  }

  #chain<U, F>(step: (result: Result<T, E>) => ResultLike<U, F>): AsyncResult<U, F> {
    return new AsyncResult(this.#promise.then((result) => new AsyncResult(step(result))));
  }

  map<U>(fn: (value: T) => Awaitable<U>): AsyncResult<U, E> {
    return this.#chain(async (r) => (r.isOk() ? new Ok<U, E>(await fn(r.value)) : (r as unknown as Err<U, E>)));
  }
  mapErr<F>(fn: (error: E) => Awaitable<F>): AsyncResult<T, F> {
    return this.#chain(async (r) => (r.isErr() ? new Err<T, F>(await fn(r.error)) : (r as unknown as Ok<T, F>)));
  }
  andThen<U, F>(fn: (value: T) => ResultLike<U, F>): AsyncResult<U, E | F> {
    return this.#chain<U, E | F>((r) => (r.isOk() ? fn(r.value) : (r as unknown as Err<U, E>)));
  }
  or<U, F>(other: ResultLike<U, F>): AsyncResult<T | U, F> {
    return this.#chain<T | U, F>((r) => (r.isOk() ? (r as unknown as Ok<T, F>) : other));
  }
  orElse<U, F>(fn: (error: E) => ResultLike<U, F>): AsyncResult<T | U, F> {
    return this.#chain<T | U, F>((r) => (r.isErr() ? fn(r.error) : (r as unknown as Ok<T, F>)));
  }
  inspect(fn: (value: T) => void): AsyncResult<T, E> {
    return this.#chain((r) => r.inspect(fn));
  }
  inspectErr(fn: (error: E) => void): AsyncResult<T, E> {
    return this.#chain((r) => r.inspectErr(fn));
  }
  context(message: string, extra?: Record<string, unknown>): AsyncResult<T, E> {
    return this.#chain((r) => r.context(message, extra));
  }

  match<A, B>(arms: { ok: (value: T) => A; err: (error: E) => B }): Promise<A | B> {
    return this.#promise.then((r) => r.match(arms));
  }
  unwrapOr<U>(fallback: U): Promise<T | U> {
    return this.#promise.then((r) => r.unwrapOr(fallback));
  }
  unwrapOrElse<U>(fn: (error: E) => U): Promise<T | U> {
    return this.#promise.then((r) => r.unwrapOrElse(fn));
  }
  /** Resolves to the value or rejects with the error: only where failure is a bug. */
  orThrow(): Promise<T> {
    return this.#promise.then((r) => r.orThrow());
  }
  take(): Promise<T | Err<never, E>> {
    return this.#promise.then((r) => r.take());
  }
}
