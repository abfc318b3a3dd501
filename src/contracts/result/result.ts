import { TrellisError } from "../errors/trellis-error.ts";
import { UnexpectedError } from "../errors/builtin.ts";

/**
 * An immutable success (`Ok`) or expected failure (`Err`). Expected failures
 * are values in every public Trellis API; exceptions are reserved for bugs.
 */
export type Result<T, E> = Ok<T, E> | Err<T, E>;

type Matcher<T, E, A, B> = { ok: (value: T) => A; err: (error: E) => B };

export class Ok<T, E = never> {
  readonly ok = true as const;
  constructor(readonly value: T) {}

  isOk(): this is Ok<T, E> {
    return true;
  }
  isErr(): this is Err<T, E> {
    return false;
  }
  map<U>(fn: (value: T) => U): Result<U, E> {
    return new Ok(fn(this.value));
  }
  mapErr<F>(_fn: (error: E) => F): Result<T, F> {
    return this as unknown as Ok<T, F>;
  }
  andThen<U, F>(fn: (value: T) => Result<U, F>): Result<U, E | F> {
    return fn(this.value);
  }
  or<U, F>(_other: Result<U, F>): Result<T | U, F> {
    return this as unknown as Ok<T | U, F>;
  }
  orElse<U, F>(_fn: (error: E) => Result<U, F>): Result<T | U, F> {
    return this as unknown as Ok<T | U, F>;
  }
  inspect(fn: (value: T) => void): Result<T, E> {
    fn(this.value);
    return this;
  }
  inspectErr(_fn: (error: E) => void): Result<T, E> {
    return this;
  }
  match<A, B>(arms: Matcher<T, E, A, B>): A | B {
    return arms.ok(this.value);
  }
  unwrapOr<U>(_fallback: U): T | U {
    return this.value;
  }
  unwrapOrElse<U>(_fn: (error: E) => U): T | U {
    return this.value;
  }
  orThrow(): T {
    return this.value;
  }
  /** The value, or (on Err) the Err itself, to be returned as-is for early exit. */
  take(): T | Err<never, E> {
    return this.value;
  }
  context(_message: string, _extra?: Record<string, unknown>): Result<T, E> {
    return this;
  }
}

export class Err<T, E> {
  readonly ok = false as const;
  constructor(readonly error: E) {}

  isOk(): this is Ok<T, E> {
    return false;
  }
  isErr(): this is Err<T, E> {
    return true;
  }
  map<U>(_fn: (value: T) => U): Result<U, E> {
    return this as unknown as Err<U, E>;
  }
  mapErr<F>(fn: (error: E) => F): Result<T, F> {
    return new Err(fn(this.error));
  }
  andThen<U, F>(_fn: (value: T) => Result<U, F>): Result<U, E | F> {
    return this as unknown as Err<U, E | F>;
  }
  or<U, F>(other: Result<U, F>): Result<T | U, F> {
    return other;
  }
  orElse<U, F>(fn: (error: E) => Result<U, F>): Result<T | U, F> {
    return fn(this.error);
  }
  inspect(_fn: (value: T) => void): Result<T, E> {
    return this;
  }
  inspectErr(fn: (error: E) => void): Result<T, E> {
    fn(this.error);
    return this;
  }
  match<A, B>(arms: Matcher<T, E, A, B>): A | B {
    return arms.err(this.error);
  }
  unwrapOr<U>(fallback: U): T | U {
    return fallback;
  }
  unwrapOrElse<U>(fn: (error: E) => U): T | U {
    return fn(this.error);
  }
  /** Throws the error: for call sites where failure is a bug (scripts, tests, `main`). */
  orThrow(): never {
    throw this.error instanceof Error ? this.error : new Error(`Result.orThrow on Err: ${String(this.error)}`);
  }
  take(): T | Err<never, E> {
    return this as unknown as Err<never, E>;
  }
  /**
   * Annotates a Trellis error as it travels up: `message` is appended to
   * `context.notes` and `extra` merged into `context`.
   */
  context(message: string, extra: Record<string, unknown> = {}): Result<T, E> {
    if (this.error instanceof TrellisError) {
      const notes = Array.isArray(this.error.context?.notes) ? this.error.context.notes : [];
      this.error.withContext({ ...extra, notes: [...notes, message] });
    }
    return this;
  }
}

export function ok<T>(value: T): Ok<T, never>;
export function ok(): Ok<void, never>;
export function ok<T>(value?: T): Ok<T | undefined, never> {
  return new Ok(value);
}

export function err<E>(error: E): Err<never, E> {
  return new Err(error);
}

export function isOk<T, E>(value: Result<T, E>): value is Ok<T, E> {
  return value instanceof Ok;
}

/** Narrows either a Result or the output of `take()`. */
export function isErr<T, E>(value: Result<T, E>): value is Err<T, E>;
export function isErr<T, E>(value: T | Err<never, E>): value is Err<never, E>;
export function isErr(value: unknown): boolean {
  return value instanceof Err;
}

function tryResult<T>(fn: () => T): Result<T, UnexpectedError> {
  try {
    return new Ok(fn());
  } catch (cause) {
    return new Err(UnexpectedError.from(cause));
  }
}

type OkOf<R> = R extends Result<infer T, unknown> ? T : never;
type ErrOf<R> = R extends Result<unknown, infer E> ? E : never;

/** Every value, or the first Err. */
function all<const R extends readonly Result<unknown, unknown>[]>(
  results: R,
): Result<{ -readonly [K in keyof R]: OkOf<R[K]> }, ErrOf<R[number]>> {
  const values: unknown[] = [];
  for (const result of results) {
    if (result.isErr()) return result as unknown as Err<never, ErrOf<R[number]>>;
    values.push(result.value);
  }
  return new Ok(values as { -readonly [K in keyof R]: OkOf<R[K]> });
}

/** The first Ok, or the last Err. `results` must not be empty. */
function any<const R extends readonly [Result<unknown, unknown>, ...Result<unknown, unknown>[]]>(
  results: R,
): Result<OkOf<R[number]>, ErrOf<R[number]>> {
  let last: Result<unknown, unknown> = results[0];
  for (const result of results) {
    if (result.isOk()) return result as Ok<OkOf<R[number]>, ErrOf<R[number]>>;
    last = result;
  }
  return last as Err<OkOf<R[number]>, ErrOf<R[number]>>;
}

export const Result = { ok, err, try: tryResult, all, any, isOk, isErr };
