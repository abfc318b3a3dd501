import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import {
  defineError,
  defineServiceContract,
  emitJsonSchema,
} from "../../src/contracts/index.ts";
import { definitionIssues, issueAt } from "./fixtures/authoring/expect-definition-error.ts";

const NoteMissing = defineError({ type: "NoteMissing", fields: { noteId: v.string() }, message: "note not found" });
const Conflict = defineError({ type: "Conflict", fields: { revision: v.number() }, message: "conflict" });
const base = { displayName: "Notes", description: "Notes." } as const;
const io = { In: v.object({}), Out: v.object({}) };

describe("§7.2 error declarations", () => {
  test("an explicit schema binding wins and generates nothing", () => {
    const m = defineServiceContract(
      {
        schemas: { ...io, MissingPayload: v.object({ noteId: v.string() }) },
        errors: { NoteMissing: { error: NoteMissing, schema: "MissingPayload" } },
      },
      () => ({ id: "acme.notes@v1", ...base }),
    );
    expect(m.CONTRACT.errors).toEqual({ NoteMissing: { type: "NoteMissing", schema: { schema: "MissingPayload" } } });
    expect(Object.keys(m.CONTRACT.schemas ?? {}).sort()).toEqual(["In", "MissingPayload", "Out"]);
    expect(m.ERRORS.NoteMissing).toBe(NoteMissing);
  });

  test("an explicit binding to an unknown schema is rejected", () => {
    const issues = definitionIssues(() =>
      defineServiceContract(
        { schemas: io, errors: { NoteMissing: { error: NoteMissing, schema: "Nope" as "In" } } },
        () => ({
          id: "acme.notes@v1",
          ...base,
        }),
      ),
    );
    expect(issueAt(issues, "/errors/NoteMissing/schema").message).toContain("unknown schema 'Nope'");
  });

  test("a registry schema canonically equal to the class schema is reused", () => {
    const m = defineServiceContract(
      { schemas: { ...io, Missing: NoteMissing.schema }, errors: { NoteMissing } },
      () => ({
        id: "acme.notes@v1",
        ...base,
      }),
    );
    expect(m.CONTRACT.errors?.NoteMissing).toEqual({ type: "NoteMissing", schema: { schema: "Missing" } });
    expect(m.CONTRACT.schemas?.NoteMissingData).toBeUndefined();
  });

  test("<type>Data, then <key>Data, then <type>Data2, <type>Data3", () => {
    const taken = v.object({ other: v.boolean() });
    const m = defineServiceContract(
      {
        schemas: { ...io, NoteMissingData: taken, MissingData: taken },
        errors: { Missing: NoteMissing, Absent: NoteMissing },
      },
      () => ({ id: "acme.notes@v1", ...base }),
    );
    // Absent (sorted first): NoteMissingData taken → AbsentData. Missing: equal to AbsentData → reused.
    expect(m.CONTRACT.errors).toEqual({
      Absent: { type: "NoteMissing", schema: { schema: "AbsentData" } },
      Missing: { type: "NoteMissing", schema: { schema: "AbsentData" } },
    });
    const n = defineServiceContract(
      {
        schemas: { ...io, NoteMissingData: taken, NoteMissingData2: v.object({ x: v.string() }) },
        errors: { NoteMissing },
      },
      () => ({ id: "acme.notes@v1", ...base }),
    );
    expect(n.CONTRACT.errors?.NoteMissing?.schema).toEqual({ schema: "NoteMissingData3" });
    expect(n.CONTRACT.schemas?.NoteMissingData3).toEqual(emitJsonSchema(NoteMissing.schema).orThrow());
    const k = defineServiceContract(
      { schemas: { ...io, NoteMissingData: taken }, errors: { Missing: NoteMissing } },
      () => ({
        id: "acme.notes@v1",
        ...base,
      }),
    );
    expect(k.CONTRACT.errors?.Missing?.schema).toEqual({ schema: "MissingData" });
  });

  test("rpc errors map local keys to their types and built-ins to themselves, SU as {type}", () => {
    const m = defineServiceContract({ schemas: io, errors: { Missing: NoteMissing, Conflict } }, (ref) => ({
      id: "acme.notes@v1",
      ...base,
      rpc: {
        "Notes.Put": {
          version: "v1",
          input: ref.schema("In"),
          output: ref.schema("Out"),
          errors: [
            ref.error("ValidationError"),
            ref.error("Missing"),
            ref.error("Conflict"),
            "ValidationError",
            ref.error("AuthError"),
          ],
        },
        "Notes.Ping": { version: "v1", input: ref.schema("In"), output: ref.schema("Out") },
      },
    }));
    expect(m.CONTRACT.rpc?.["Notes.Put"]?.errors).toEqual([
      { type: "AuthError" },
      { type: "Conflict" },
      { type: "NoteMissing" },
      { type: "ValidationError" },
    ]);
    expect(m.CONTRACT.rpc?.["Notes.Ping"]?.errors).toBeUndefined();
    expect(Object.keys(m.API.owned.rpc["Notes.Put"].errorClasses).sort()).toEqual(["Conflict", "NoteMissing"]);
    expect(m.API.owned.rpc["Notes.Ping"].errors).toEqual([]);
  });

  test("declared errors are emitted even when no rpc names them", () => {
    const m = defineServiceContract({ errors: { Conflict } }, () => ({ id: "acme.notes@v1", ...base }));
    expect(m.CONTRACT.errors).toEqual({ Conflict: { type: "Conflict", schema: { schema: "ConflictData" } } });
  });

  test("unknown error names and local keys shadowing built-ins are rejected", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas: io, errors: { ValidationError: Conflict } }, (ref) => ({
        id: "acme.notes@v1",
        ...base,
        rpc: {
          "Notes.Put": {
            version: "v1",
            input: ref.schema("In"),
            output: ref.schema("Out"),
            errors: ["NotDeclared" as "AuthError"],
          },
        },
      })),
    );
    expect(issueAt(issues, "/errors/ValidationError").message).toContain("built-in");
    expect(issueAt(issues, "/rpc/Notes.Put/errors/0").message).toContain("unknown error 'NotDeclared'");
  });

  test("non-class error entries are rejected", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ errors: { Bad: { type: "Bad" } as never } }, () => ({ id: "acme.notes@v1", ...base })),
    );
    expect(issueAt(issues, "/errors/Bad").message).toContain("defineError");
  });
});
