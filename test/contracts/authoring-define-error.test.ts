import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { ContractDefinitionError, defineError, TrellisError, ValidationError } from "../../src/contracts/index.ts";
import { definitionIssues, issueAt } from "./fixtures/authoring/expect-definition-error.ts";

const QuotaExceeded = defineError({
  type: "QuotaExceeded",
  fields: { limit: v.number(), used: v.number(), unit: v.optional(v.string()) },
  message: ({ limit, used }) => `quota exceeded: ${used}/${limit}`,
});
const Gone = defineError({ type: "Gone", message: "gone" });

describe("defineError", () => {
  test("instances are TrellisErrors with typed field properties and a rendered message", () => {
    const error = new QuotaExceeded({ limit: 10, used: 12 }, { context: { tenant: "t1" } });
    expect(error).toBeInstanceOf(QuotaExceeded);
    expect(error).toBeInstanceOf(TrellisError);
    expect(error).toBeInstanceOf(Error);
    expect(error.type).toBe("QuotaExceeded");
    expect(error.name).toBe("QuotaExceeded");
    expect(error.limit).toBe(10);
    expect(error.used).toBe(12);
    expect(error.unit).toBeUndefined();
    expect(error.message).toBe("quota exceeded: 12/10");
    expect(error.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  test("toJSON writes the envelope and the present fields", () => {
    const error = new QuotaExceeded({ limit: 1, used: 2, unit: "GB" }, { traceId: "0af7651916cd43dd8448eb211c80319c" });
    expect(error.toJSON()).toEqual({
      id: error.id,
      type: "QuotaExceeded",
      message: "quota exceeded: 2/1",
      limit: 1,
      used: 2,
      unit: "GB",
      traceId: "0af7651916cd43dd8448eb211c80319c",
    });
    expect(new Gone().toJSON()).toEqual({ id: expect.any(String), type: "Gone", message: "gone" });
  });

  test("static type and schema; the schema accepts its own wire data", () => {
    expect(QuotaExceeded.type).toBe("QuotaExceeded");
    const data = new QuotaExceeded({ limit: 1, used: 2 }, { context: { a: 1 } }).toJSON();
    expect(v.is(QuotaExceeded.schema, data)).toBe(true);
    expect(v.is(QuotaExceeded.schema, { ...data, type: "Other" })).toBe(false);
    expect(Object.keys(QuotaExceeded.fieldSchemas)).toEqual(["limit", "used", "unit"]);
  });

  test("fromData rebuilds an instance, keeping the wire id, message, context and traceId", () => {
    const wire = {
      id: "01J0000000000000000000000A",
      type: "QuotaExceeded",
      message: "server wording",
      limit: 3,
      used: 4,
      context: { causeMessage: "x" },
      traceId: "0af7651916cd43dd8448eb211c80319c",
      extra: true,
    };
    const rebuilt = QuotaExceeded.fromData(wire).orThrow();
    expect(rebuilt).toBeInstanceOf(QuotaExceeded);
    expect(rebuilt.id).toBe(wire.id);
    expect(rebuilt.message).toBe("server wording");
    expect(rebuilt.limit).toBe(3);
    expect(rebuilt.context).toEqual({ causeMessage: "x" });
    expect(rebuilt.traceId).toBe(wire.traceId);
  });

  test("fromData returns a ValidationError with pointer paths for bad data", () => {
    const result = QuotaExceeded.fromData({ id: "x", type: "QuotaExceeded", message: "m", limit: "ten", used: 1 });
    expect(result.isErr()).toBe(true);
    if (result.isErr()) {
      expect(result.error).toBeInstanceOf(ValidationError);
      expect(result.error.issues.map((issue) => issue.path)).toEqual(["/limit"]);
    }
    expect(Gone.fromData({ type: "Gone" }).isErr()).toBe(true);
  });

  for (const reserved of ["id", "type", "message", "context", "traceId", "cause"]) {
    test(`field '${reserved}' is refused (envelope name)`, () => {
      const issues = definitionIssues(() =>
        defineError({ type: "Bad", fields: { [reserved]: v.string() } as never, message: "bad" }),
      );
      expect(issueAt(issues, `/fields/${reserved}`).message).toContain("reserved");
    });
  }

  test("fields that would shadow class members are refused", () => {
    const issues = definitionIssues(() =>
      defineError({ type: "Bad", fields: { name: v.string(), stack: v.string(), toJSON: v.string() }, message: "bad" }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(["/fields/name", "/fields/stack", "/fields/toJSON"]);
  });

  test("an empty type is refused", () => {
    expect(() => defineError({ type: "", message: "x" })).toThrow(ContractDefinitionError);
  });
});
