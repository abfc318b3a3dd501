import { describe, expect, test } from "bun:test";
import { AsyncResult, Err, isErr, Ok, Result, UnexpectedError, ValidationError } from "../../src/contracts/index.ts";

/** runtime-wire.md §2: every combinator on Ok, Err and AsyncResult. */
const failure = () => new ValidationError([{ path: "/x", message: "bad" }]);

describe("Result", () => {
  test("ok/err narrow with isOk/isErr; .error only exists on Err", () => {
    const good = Result.ok(1) as Result<number, ValidationError>;
    const bad = Result.err(failure()) as Result<number, ValidationError>;
    expect(good.isOk() && good.value).toBe(1);
    expect(bad.isErr() && bad.error).toBeInstanceOf(ValidationError);
    expect("error" in good).toBe(false);
    expect(Result.isOk(good)).toBe(true);
    expect(Result.isErr(bad)).toBe(true);
  });

  test("map, mapErr, andThen, or, orElse", () => {
    const good = Result.ok(2) as Result<number, ValidationError>;
    const bad = Result.err(failure()) as Result<number, ValidationError>;
    expect(good.map((n) => n * 2).unwrapOr(0)).toBe(4);
    expect(bad.map((n) => n * 2).isErr()).toBe(true);
    expect(bad.mapErr((e) => e.issues.length).match({ ok: () => -1, err: (n) => n })).toBe(1);
    expect(good.mapErr(() => "never").unwrapOr(0)).toBe(2);
    expect(good.andThen((n) => Result.ok(`${n}`)).unwrapOr("")).toBe("2");
    expect(good.andThen(() => Result.err("stop")).isErr()).toBe(true);
    expect(bad.andThen((n) => Result.ok(n + 1)).isErr()).toBe(true);
    expect(bad.or(Result.ok(9)).unwrapOr(0)).toBe(9);
    expect(good.or(Result.ok(9)).unwrapOr(0)).toBe(2);
    expect(bad.orElse((e) => Result.ok(e.issues[0]!.path)).unwrapOr("")).toBe("/x");
    expect(good.orElse(() => Result.ok(0)).unwrapOr(-1)).toBe(2);
  });

  test("inspect, inspectErr, match, unwrapOr, unwrapOrElse, orThrow, take", () => {
    const seen: unknown[] = [];
    const good = Result.ok(3) as Result<number, ValidationError>;
    const bad = Result.err(failure()) as Result<number, ValidationError>;
    good.inspect((n) => seen.push(n)).inspectErr(() => seen.push("no"));
    bad.inspect(() => seen.push("no")).inspectErr((e) => seen.push(e.type));
    expect(seen).toEqual([3, "ValidationError"]);
    expect(good.match({ ok: (n) => n + 1, err: () => 0 })).toBe(4);
    expect(bad.unwrapOrElse((e) => e.issues.length)).toBe(1);
    expect(good.orThrow()).toBe(3);
    expect(() => bad.orThrow()).toThrow(ValidationError);
    expect(good.take()).toBe(3);
    const taken = bad.take();
    expect(isErr(taken)).toBe(true);
    expect(taken).toBe(bad as unknown as Err<never, ValidationError>);
  });

  test("context annotates an Err and leaves an Ok alone", () => {
    const bad = Result.err(failure()).context("loading config", { file: "a.json" });
    expect(bad.isErr() && bad.error.context).toEqual({ file: "a.json", notes: ["loading config"] });
    const twice = bad.context("starting");
    expect(twice.isErr() && twice.error.context?.notes).toEqual(["loading config", "starting"]);
    expect(Result.ok(1).context("unused").isOk()).toBe(true);
  });

  test("all: every value or the first Err; any: the first Ok or the last Err", () => {
    const first = failure();
    const all = Result.all([Result.ok(1), Result.ok("a")] as const);
    expect(all.isOk() && all.value).toEqual([1, "a"]);
    const allBad = Result.all([Result.ok(1), Result.err(first), Result.err(failure())]);
    expect(allBad.isErr() && allBad.error).toBe(first);
    expect(Result.any([Result.err(failure()), Result.ok(2), Result.ok(3)]).unwrapOr(0)).toBe(2);
    const last = failure();
    const anyBad = Result.any([Result.err(failure()), Result.err(last)]);
    expect(anyBad.isErr() && anyBad.error).toBe(last);
  });

  test("Result.try turns a throw into Err(UnexpectedError) with the cause", () => {
    expect(Result.try(() => 5).unwrapOr(0)).toBe(5);
    const thrown = Result.try(() => {
      throw new Error("boom");
    });
    expect(thrown.isErr() && thrown.error).toBeInstanceOf(UnexpectedError);
    expect(thrown.isErr() && thrown.error.context?.causeMessage).toBe("boom");
  });
});

describe("AsyncResult", () => {
  const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 1));

  test("is awaitable, resolves to a Result and never rejects", async () => {
    const good = await AsyncResult.ok(1);
    expect(good).toBeInstanceOf(Ok);
    const rejected = await new AsyncResult<number, ValidationError>(Promise.reject(new Error("bug")));
    expect(rejected.isErr() && rejected.error).toBeInstanceOf(UnexpectedError);
  });

  test("has the same combinators, with async callbacks", async () => {
    const good = AsyncResult.ok(2) as AsyncResult<number, ValidationError>;
    const bad = AsyncResult.err(failure()) as AsyncResult<number, ValidationError>;
    expect(await good.map(async (n) => later(n * 2)).unwrapOr(0)).toBe(4);
    expect(await bad.mapErr((e) => e.issues.length).match({ ok: () => -1, err: (n) => n })).toBe(1);
    expect(await good.andThen((n) => later(Result.ok(n + 1))).unwrapOr(0)).toBe(3);
    expect(await good.andThen((n) => AsyncResult.ok(n + 2)).unwrapOr(0)).toBe(4);
    expect(await bad.or(Result.ok(7)).unwrapOr(0)).toBe(7);
    expect(await bad.orElse(() => AsyncResult.ok(8)).unwrapOr(0)).toBe(8);
    const seen: unknown[] = [];
    await good.inspect((n) => seen.push(n)).inspectErr(() => seen.push("no"));
    await bad.inspect(() => seen.push("no")).inspectErr((e) => seen.push(e.type));
    expect(seen).toEqual([2, "ValidationError"]);
    expect(await bad.unwrapOrElse((e) => e.type)).toBe("ValidationError");
    expect(await good.orThrow()).toBe(2);
    expect(bad.orThrow()).rejects.toBeInstanceOf(ValidationError);
    expect(await good.take()).toBe(2);
    expect(isErr(await bad.take())).toBe(true);
    const annotated = await bad.context("in test");
    expect(annotated.isErr() && annotated.error.context?.notes).toEqual(["in test"]);
  });

  test("a throwing callback becomes Err(UnexpectedError)", async () => {
    const result = await AsyncResult.ok(1).map(() => {
      throw new Error("inside");
    });
    expect(result.isErr() && result.error).toBeInstanceOf(UnexpectedError);
  });

  test("AsyncResult.try catches throws and rejections", async () => {
    expect(await AsyncResult.try(async () => later(3)).unwrapOr(0)).toBe(3);
    const failed = await AsyncResult.try(async () => {
      await later(0);
      throw new Error("late");
    });
    expect(failed.isErr() && failed.error.context?.causeMessage).toBe("late");
  });

  test("all and any over Results, AsyncResults and promises", async () => {
    const all = await AsyncResult.all([Result.ok(1), AsyncResult.ok("a"), later(Result.ok(true))] as const);
    expect(all.isOk() && all.value).toEqual([1, "a", true]);
    const first = failure();
    const allBad = await AsyncResult.all([later(Result.err(first)), AsyncResult.err(failure())]);
    expect(allBad.isErr() && allBad.error).toBe(first);
    expect(await AsyncResult.any([AsyncResult.err(failure()), later(Result.ok(5))]).unwrapOr(0)).toBe(5);
  });
});
