import { expect, test } from "bun:test";
import * as v from "valibot";
import {
  ContractDefinitionError,
  defineAppContract,
  defineError,
  defineServiceContract,
  type ContractModule,
  type SurfaceEvent,
  type SurfaceInput,
  type SurfaceOutput,
} from "../../src/contracts/index.ts";
import { NoteMissing, notes, notesWeb } from "./fixtures/authoring/notes.ts";

/**
 * Type-level tests: `tsc --noEmit` checks this file. `Expect<Equal<...>>`
 * fails to compile on a mismatch (and catches `never`/`any`), and every
 * `@ts-expect-error` fails to compile if the line below it stops being an error.
 */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const base = { displayName: "X", description: "X." } as const;

// ---- module identity and owned descriptors
type Notes = typeof notes;
type NotesGet = Notes["API"]["owned"]["rpc"]["Notes.Get"];
export type T1 = Expect<Equal<Notes["CONTRACT_ID"], "acme.notes@v1">>;
export type T2 = Expect<Equal<Notes["CONTRACT_KIND"], "service">>;
export type T3 = Expect<Equal<NotesGet["subject"], "rpc.v1.Notes.Get">>;
export type T4 = Expect<Equal<SurfaceInput<NotesGet>, { noteId: string }>>;
export type T5 = Expect<Equal<SurfaceOutput<NotesGet>, { noteId: string; text: string; tags?: string[] | undefined }>>;
export type T6 = Expect<Equal<NotesGet["errors"][number], "NoteMissing" | "ValidationError">>;
export type T7 = Expect<Equal<NotesGet["errorClasses"]["NoteMissing"], typeof NoteMissing>>;
export type T8 = Expect<Equal<keyof Notes["ERRORS"], "NoteMissing">>;
export type T9 = Expect<Equal<keyof Notes["SCHEMAS"], "NoteGet" | "Note">>;

// ---- used and trellis
export type T10 = Expect<Equal<keyof Notes["API"]["used"]["events"], "Health.Heartbeat">>;
export type T11 = Expect<Equal<keyof Notes["API"]["used"]["rpc"], never>>;
type Web = typeof notesWeb;
export type T12 = Expect<
  Equal<keyof Web["API"]["used"]["rpc"], "Notes.Get" | "Auth.Sessions.Logout" | "Auth.Sessions.Me">
>;
export type T13 = Expect<Equal<Web["API"]["used"]["rpc"]["Notes.Get"], NotesGet>>;
export type T14 = Expect<Equal<keyof Web["API"]["trellis"]["rpc"], keyof Web["API"]["used"]["rpc"]>>;
export type T15 = Expect<Equal<keyof Web["API"]["owned"]["rpc"], never>>;
// Baseline surfaces have no schemas yet: their payloads are unknown.
export type T16 = Expect<Equal<SurfaceInput<Web["API"]["used"]["rpc"]["Auth.Sessions.Me"]>, unknown>>;
export type T17 = Expect<Equal<keyof Notes["API"]["trellis"]["rpc"], "Notes.Get">>;

// ---- other surface kinds, subjects with params
const schemas = {
  In: v.object({ q: v.string() }),
  Prog: v.object({ pct: v.number() }),
  Out: v.object({ ok: v.boolean() }),
  Changed: v.object({ partner: v.object({ id: v.string() }) }),
};
const partners = defineServiceContract({ schemas }, (ref) => ({
  id: "partners@v1",
  ...base,
  operations: {
    "Partner.Import": {
      version: "v1",
      input: ref.schema("In"),
      progress: ref.schema("Prog"),
      output: ref.schema("Out"),
      signals: { approve: { input: ref.schema("Out") } },
    },
  },
  events: {
    "Partner.Changed": { version: "v2", params: ["/partner/id"], event: ref.schema("Changed") },
    "Partner.Custom": { version: "v1", subject: "events.v1.custom.{/partner/id}", event: ref.schema("Changed") },
  },
  feeds: { "Partner.Watch": { version: "v1", input: ref.schema("In"), event: ref.schema("Changed") } },
  state: { prefs: { kind: "value", schema: ref.schema("Out") } },
}));
type PartnerApi = (typeof partners)["API"]["owned"];
export type T20 = Expect<
  Equal<PartnerApi["operations"]["Partner.Import"]["controlSubject"], "operations.v1.Partner.Import.control">
>;
export type T21 = Expect<Equal<v.InferOutput<PartnerApi["operations"]["Partner.Import"]["progress"]>, { pct: number }>>;
export type T22 = Expect<
  Equal<v.InferOutput<PartnerApi["operations"]["Partner.Import"]["signals"]["approve"]>, { ok: boolean }>
>;
export type T23 = Expect<
  Equal<PartnerApi["events"]["Partner.Changed"]["subject"], "events.v2.Partner.Changed.{/partner/id}">
>;
export type T24 = Expect<Equal<PartnerApi["events"]["Partner.Changed"]["params"], readonly ["/partner/id"]>>;
export type T25 = Expect<Equal<PartnerApi["events"]["Partner.Custom"]["params"], ["/partner/id"]>>;
export type T26 = Expect<Equal<SurfaceEvent<PartnerApi["feeds"]["Partner.Watch"]>, { partner: { id: string } }>>;
export type T27 = Expect<Equal<PartnerApi["feeds"]["Partner.Watch"]["subject"], "feeds.v1.Partner.Watch">>;
// Declaring state adds the state baseline.
export type T28 = Expect<
  Equal<keyof (typeof partners)["API"]["used"]["rpc"], "State.Delete" | "State.Get" | "State.List" | "State.Put">
>;

// ---- use(): only owned names, and the record carries the selected descriptors
const selected = partners.use({ events: { subscribe: ["Partner.Changed"] }, feeds: { subscribe: ["Partner.Watch"] } });
const consumer = defineAppContract(() => ({ id: "consumer@v1", ...base, uses: { optional: { partners: selected } } }));
type Consumer = (typeof consumer)["API"]["used"];
export type T30 = Expect<Equal<keyof Consumer["events"], "Partner.Changed">>;
export type T31 = Expect<Equal<Consumer["feeds"]["Partner.Watch"], PartnerApi["feeds"]["Partner.Watch"]>>;
export type T32 = Expect<Equal<(typeof selected)["contract"], "partners@v1">>;

// Wrong usages fail to compile, and fail at runtime too.
test("wrong usages flagged by the types also throw at runtime", () => {
  const rejected: (() => unknown)[] = [
    // @ts-expect-error: 'Partner.Import' is an operation, not an rpc of partners
    () => partners.use({ rpc: { call: ["Partner.Import"] } }),
    // @ts-expect-error: not an owned event
    () => partners.use({ events: { publish: ["Partner.Nope"] } }),
    // @ts-expect-error: apps own nothing, so nothing can be selected
    () => notesWeb.use({ rpc: { call: ["Notes.Get"] } }),
    () =>
      defineServiceContract({ schemas, errors: { NoteMissing } }, (ref) => ({
        id: "typed@v1",
        ...base,
        rpc: {
          "Typed.Get": {
            version: "v1",
            // @ts-expect-error: not a key of schemas
            input: ref.schema("Nope"),
            output: ref.schema("Out"),
            // @ts-expect-error: neither a local error nor a built-in
            errors: [ref.error("NoteMissing"), ref.error("NotAnError")],
          },
        },
      })),
    () =>
      defineServiceContract({ schemas }, (ref) => ({
        id: "typed@v1",
        ...base,
        // @ts-expect-error: kind comes from the helper
        kind: "app",
        rpc: { "Typed.Get": { version: "v1", input: ref.schema("In"), output: ref.schema("Out") } },
      })),
    () =>
      defineServiceContract({ schemas }, () => ({
        id: "typed@v1",
        ...base,
        // @ts-expect-error: exports name schemas of the registry
        exports: { schemas: ["Missing"] },
      })),
    () =>
      defineAppContract(() => ({
        id: "raw@v1",
        ...base,
        // @ts-expect-error: uses values must come from <module>.use(spec)
        uses: { required: { partners: { contract: "partners@v1" } } },
      })),
    // @ts-expect-error: an app owns no surfaces
    () => defineAppContract(() => ({ id: "raw@v1", ...base, rpc: {} })),
    // @ts-expect-error: 'id' is an envelope name
    () => defineError({ type: "Bad", fields: { id: v.string() }, message: "bad" }),
  ];
  for (const define of rejected) expect(define).toThrow(ContractDefinitionError);
});

// ---- defineError
const Quota = defineError({
  type: "Quota",
  fields: { limit: v.number(), unit: v.optional(v.string()) },
  message: (f) => `${f.limit}`,
});
const quota = new Quota({ limit: 1 });
export type T40 = Expect<Equal<typeof quota.limit, number>>;
export type T41 = Expect<Equal<typeof quota.unit, string | undefined>>;
export type T42 = Expect<Equal<typeof quota.type, "Quota">>;
export type T43 = Expect<Equal<(typeof Quota)["type"], "Quota">>;
export type T44 = Expect<Equal<ReturnType<typeof quota.toJSON>["type"], "Quota">>;
const Gone = defineError({ type: "Gone", message: "gone" });
export function compileOnly(): void {
  // @ts-expect-error: a required field is missing
  new Quota({});
  new Gone(); // no fields: no argument needed
}

// ---- every module is a ContractModule
const modules: ContractModule[] = [notes, notesWeb, partners, consumer];

test("type-level file compiles and its modules are real", () => {
  expect(modules.map((m) => m.CONTRACT_ID)).toEqual([
    "acme.notes@v1",
    "acme.notes-web@v1",
    "partners@v1",
    "consumer@v1",
  ]);
  expect(quota.limit).toBe(1);
});
