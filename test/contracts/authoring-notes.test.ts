import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { loadManifest } from "../../src/contracts/index.ts";
import { NoteGetSchema, NoteMissing, NoteSchema, notes, notesWeb } from "./fixtures/authoring/notes.ts";

/** contracts.md §7: the Notes example and its app. */
describe("§7 Notes example", () => {
  const manifest = notes.CONTRACT;

  test("renames the capability to acme.notes::read", () => {
    expect(manifest.capabilities).toEqual({
      "acme.notes::read": { displayName: "Read notes", description: "Read any note." },
    });
  });

  test("emits schemas NoteGet, Note and NoteMissingData", () => {
    expect(Object.keys(manifest.schemas ?? {}).sort()).toEqual(["Note", "NoteGet", "NoteMissingData"]);
    expect(manifest.schemas?.NoteGet).toEqual({
      type: "object",
      properties: { noteId: { type: "string" } },
      required: ["noteId"],
    });
  });

  test("NoteMissingData is the defineError shape: envelope, fields, optional context/traceId", () => {
    const data = manifest.schemas?.NoteMissingData as Record<string, unknown>;
    expect(data).toEqual({
      type: "object",
      properties: {
        id: { type: "string" },
        type: { const: "NoteMissing" },
        message: { type: "string" },
        noteId: { type: "string" },
        context: { type: "object", propertyNames: { type: "string" }, additionalProperties: {} },
        traceId: { type: "string" },
      },
      required: ["id", "type", "message", "noteId"],
    });
  });

  test("rpc Notes.Get gets the default subject, global capability and {type} errors", () => {
    expect(manifest.rpc?.["Notes.Get"]).toEqual({
      version: "v1",
      subject: "rpc.v1.Notes.Get",
      input: { schema: "NoteGet" },
      output: { schema: "Note" },
      capabilities: { call: ["acme.notes::read"] },
      errors: [{ type: "NoteMissing" }, { type: "ValidationError" }],
    });
  });

  test("errors.NoteMissing points at the generated schema", () => {
    expect(manifest.errors).toEqual({ NoteMissing: { type: "NoteMissing", schema: { schema: "NoteMissingData" } } });
  });

  test("a service gets uses.required.health and nothing else", () => {
    expect(manifest.uses).toEqual({
      required: { health: { contract: "trellis.health@v1", events: { publish: ["Health.Heartbeat"] } } },
    });
  });

  test("module identity", () => {
    expect(notes.CONTRACT_ID).toBe("acme.notes@v1");
    expect(notes.CONTRACT_KIND).toBe("service");
    expect(manifest.format).toBe("trellis.contract.v1");
    expect(manifest.kind).toBe("service");
    expect(notes.CONTRACT_DIGEST).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(notes.SCHEMAS.NoteGet).toBe(NoteGetSchema);
    expect(notes.ERRORS.NoteMissing).toBe(NoteMissing);
  });

  test("the app gets uses.required.auth beside the notes use", () => {
    expect(notesWeb.CONTRACT.kind).toBe("app");
    expect(notesWeb.CONTRACT.uses).toEqual({
      required: {
        notes: { contract: "acme.notes@v1", rpc: { call: ["Notes.Get"] } },
        auth: { contract: "trellis.auth@v1", rpc: { call: ["Auth.Sessions.Logout", "Auth.Sessions.Me"] } },
      },
    });
  });
});

describe("TS source and emitted JSON agree", () => {
  for (const contract of [notes, notesWeb]) {
    test(`${contract.CONTRACT_ID}: loading the JSON artifact gives the module's digest and manifest`, () => {
      const artifact: unknown = JSON.parse(JSON.stringify(contract.CONTRACT));
      const loaded = loadManifest(artifact).orThrow();
      expect(loaded.digest).toBe(contract.CONTRACT_DIGEST);
      expect(loaded.manifest).toEqual(contract.CONTRACT);
    });
  }

  test("a hand-written JSON manifest of the same contract has the same digest", () => {
    // Different member order, docs and an unreachable export: none of it is digested.
    const handWritten = {
      kind: "service",
      format: "trellis.contract.v1",
      id: "acme.notes@v1",
      description: "Hand-written notes contract.",
      displayName: "Notes (JSON)",
      docs: { markdown: "Notes." },
      rpc: {
        "Notes.Get": {
          subject: "rpc.v1.Notes.Get",
          version: "v1",
          errors: [{ type: "ValidationError" }, { type: "NoteMissing" }],
          capabilities: { call: ["acme.notes::read"] },
          input: { schema: "NoteGet" },
          output: { schema: "Note" },
        },
      },
      capabilities: { "acme.notes::read": { description: "Read any note.", displayName: "Read notes" } },
      uses: { required: { health: { contract: "trellis.health@v1", events: { publish: ["Health.Heartbeat"] } } } },
      errors: { NoteMissing: { type: "NoteMissing", schema: { schema: "NoteMissingData" } } },
      schemas: { ...JSON.parse(JSON.stringify(notes.CONTRACT.schemas)), Unused: { type: "object" } },
      exports: { schemas: ["Unused"] },
    };
    expect(loadManifest(handWritten).orThrow().digest).toBe(notes.CONTRACT_DIGEST);
  });

  test("CONTRACT is frozen", () => {
    expect(Object.isFrozen(notes.CONTRACT)).toBe(true);
    expect(Object.isFrozen(notes.CONTRACT.rpc?.["Notes.Get"])).toBe(true);
  });
});

describe("API descriptors", () => {
  test("owned rpc carries subject, capabilities, schemas and error classes", () => {
    const get = notes.API.owned.rpc["Notes.Get"];
    expect(get.kind).toBe("rpc");
    expect(get.contractId).toBe("acme.notes@v1");
    expect(get.subject).toBe("rpc.v1.Notes.Get");
    expect(get.capabilities).toEqual({ call: ["acme.notes::read"] });
    expect(get.input).toBe(NoteGetSchema);
    expect(get.output).toBe(NoteSchema);
    expect(get.errors).toEqual(["NoteMissing", "ValidationError"]);
    expect(get.errorClasses.NoteMissing).toBe(NoteMissing);
    expect(v.parse(get.input, { noteId: "n1" })).toEqual({ noteId: "n1" });
  });

  test("the service's used surfaces are the pending health baseline", () => {
    expect(Object.keys(notes.API.used.events)).toEqual(["Health.Heartbeat"]);
    const heartbeat = notes.API.used.events["Health.Heartbeat"];
    expect(heartbeat).toMatchObject({
      kind: "event",
      contractId: "trellis.health@v1",
      subject: "events.v1.Health.Heartbeat",
    });
    expect(heartbeat.event).toBeUndefined();
  });

  test("the app's used surfaces are the selected notes rpc plus auth; trellis = owned ∪ used", () => {
    expect(Object.keys(notesWeb.API.owned.rpc)).toEqual([]);
    expect(notesWeb.API.used.rpc["Notes.Get"]).toBe(notes.API.owned.rpc["Notes.Get"]);
    expect(Object.keys(notesWeb.API.used.rpc).sort()).toEqual([
      "Auth.Sessions.Logout",
      "Auth.Sessions.Me",
      "Notes.Get",
    ]);
    expect(notesWeb.API.used.rpc["Auth.Sessions.Me"].input).toBeUndefined();
    expect(notesWeb.API.trellis.rpc).toEqual(notesWeb.API.used.rpc);
    expect(notes.API.trellis.rpc["Notes.Get"]).toBe(notes.API.owned.rpc["Notes.Get"]);
    expect(notes.API.trellis.events["Health.Heartbeat"]).toBe(notes.API.used.events["Health.Heartbeat"]);
  });
});
