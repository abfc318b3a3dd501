import { describe, expect, test } from "bun:test";
import {
  contractDigest,
  contractNamespace,
  listSurfaces,
  loadManifest,
  normalizeManifest,
  parseContractId,
  parseManifest,
  projectManifest,
  reachableSchemas,
} from "../../src/contracts/index.ts";
import { minimalManifest, richManifest, workersA3 } from "./manifest-fixtures.ts";
import { changed, type Json } from "./manifest-test-helpers.ts";

const digestOf = (input: unknown): string => loadManifest(input).orThrow().digest;
const projectionOf = (input: unknown): Json =>
  projectManifest(normalizeManifest(parseManifest(input).orThrow())) as Json;
const rich = richManifest() as Json;
const richDigest = digestOf(rich);
const withRich = (change: (m: Json) => void) => changed(rich, change);

describe("copy and excluded members do not change the digest", () => {
  const copyChanges: [string, (m: Json) => void][] = [
    ["displayName", (m) => (m.displayName = "Other")],
    ["description", (m) => (m.description = "Other.")],
    ["top-level docs", (m) => (m.docs = { markdown: "Other" })],
    ["removing top-level docs", (m) => delete m.docs],
    ["rpc docs", (m) => (m.rpc["Notes.Get"].docs.markdown = "x")],
    ["operation docs", (m) => delete m.operations["Notes.Export"].docs],
    ["signal docs", (m) => (m.operations["Notes.Export"].signals.pause.docs.summary = "s")],
    ["event docs", (m) => (m.events["Note.Deleted"].docs = { markdown: "y" })],
    ["feed docs", (m) => (m.feeds["Notes.Watch"].docs = { markdown: "y" })],
    ["job docs", (m) => (m.jobs.reindex.docs.markdown = "z")],
    ["consumer docs", (m) => delete m.eventConsumers.projector.docs],
    ["state docs", (m) => (m.state.drafts.docs = { markdown: "d" })],
    ["kv docs", (m) => delete m.resources.kv.cache.docs],
    ["store docs", (m) => (m.resources.store.exports.docs = { markdown: "e" })],
    ["exports", (m) => (m.exports.schemas = ["Public"])],
    ["an unreachable schema", (m) => (m.schemas.Public = { type: "string" })],
    ["an unreferenced error", (m) => (m.errors.Unused = { type: "UnusedError", schema: { schema: "Public" } })],
    ["an unknown member", (m) => (m.rpc["Notes.Get"].x = 1)],
    ["rpc internal", (m) => (m.rpc["Notes.Get"].internal = true)],
    [
      "rpc capabilities {} (dropped)",
      (m) => (m.rpc["Notes.Download"].capabilities = { call: ["admin", "acme.notes::read", "admin"] }),
    ],
    [
      "order and duplicates of SU lists",
      (m) => {
        m.rpc["Notes.Get"].errors.reverse();
        m.rpc["Notes.Get"].errors.push({ type: "NoteMissing" });
        m.events["Note.Changed"].capabilities.subscribe = ["acme.notes::read", "acme.notes::read"];
        m.uses.required.partners.events.subscribe.reverse();
        m.eventConsumers.projector.self.reverse();
      },
    ],
    [
      "consumer defaults written explicitly",
      (m) => {
        m.eventConsumers.projector.ordering = "strict";
        m.eventConsumers.projector.concurrency = 1;
      },
    ],
    ["an empty consequence", (m) => (m.capabilities["acme.notes::read"].consequence = "")],
    ["an empty use container (rpc: {})", (m) => (m.uses.required.partners.rpc = {})],
    ["an alias directly under uses", (m) => (m.uses.stray = { contract: "x@v1" })],
  ];
  for (const [what, change] of copyChanges) {
    test(what, () => expect(digestOf(withRich(change))).toBe(richDigest));
  }
});

describe("surface changes change the digest", () => {
  const surfaceChanges: [string, (m: Json) => void][] = [
    ["id", (m) => (m.id = "acme.notes@v3")],
    ["kind", (m) => (m.kind = "device")],
    [
      "a capability's displayName (capabilities are projected whole)",
      (m) => (m.capabilities["acme.notes::read"].displayName = "Read"),
    ],
    ["a consequence", (m) => (m.capabilities["acme.notes::write"].consequence = "Other.")],
    ["an rpc subject", (m) => (m.rpc["Notes.Get"].subject = "rpc.v2.Notes.Get")],
    ["an rpc version", (m) => (m.rpc["Notes.Get"].version = "v2")],
    ["an rpc input ref", (m) => (m.rpc["Notes.Get"].input.schema = "Query")],
    ["a reachable schema's content", (m) => (m.schemas.NoteGet.required = [])],
    ["a schema reachable only through an rpc error", (m) => (m.schemas.NoteMissingData.required = ["noteId"])],
    ["rpc capabilities", (m) => m.rpc["Notes.Get"].capabilities.call.push("admin")],
    ["rpc errors", (m) => m.rpc["Notes.Get"].errors.push({ type: "AuthError" })],
    ["rpc transfer", (m) => delete m.rpc["Notes.Download"].transfer],
    ["operation capabilities", (m) => (m.operations["Notes.Export"].capabilities.cancel = ["service"])],
    ["operation cancel flag", (m) => (m.operations["Notes.Export"].cancel = false)],
    ["operation progress", (m) => delete m.operations["Notes.Export"].progress],
    ["a signal", (m) => (m.operations["Notes.Export"].signals.resume = { input: { schema: "Signal" } })],
    ["operation transfer", (m) => (m.operations["Notes.Export"].transfer.maxBytes = 2)],
    ["event capabilities", (m) => (m.events["Note.Changed"].capabilities.publish = [])],
    ["event capabilities {} versus absent", (m) => (m.events["Note.Deleted"].capabilities = {})],
    ["a feed subscribe list", (m) => (m.feeds["Notes.Watch"].capabilities.subscribe = ["admin"])],
    ["job maxDeliver", (m) => (m.jobs.reindex.maxDeliver = 4)],
    ["job backoff order", (m) => m.jobs.reindex.backoffMs.reverse()],
    ["job progress flag", (m) => (m.jobs.reindex.progress = true)],
    ["a job result", (m) => delete m.jobs.reindex.result],
    ["consumer replay", (m) => (m.eventConsumers.projector.replay = "new")],
    ["consumer ackWaitMs", (m) => (m.eventConsumers.projector.ackWaitMs = 1)],
    ["consumer self", (m) => (m.eventConsumers.projector.self = ["Note.Changed"])],
    ["a uses list", (m) => m.uses.required.billing.rpc.call.push("Billing.Other")],
    ["a uses contract", (m) => (m.uses.required.billing.contract = "billing@v2")],
    [
      "an alias moving from optional to required",
      (m) => {
        m.uses.required.audit = m.uses.optional.audit;
        delete m.uses.optional.audit;
      },
    ],
    ["state stateVersion", (m) => (m.state.prefs.stateVersion = "prefs.v3")],
    ["state acceptedVersions", (m) => (m.state.prefs.acceptedVersions = {})],
    ["kv history", (m) => (m.resources.kv.cache.history = 3)],
    ["store ttlMs", (m) => (m.resources.store.exports.ttlMs = 0)],
    ["an error declaration's schema", (m) => (m.errors.NoteMissing.schema = { schema: "Query" })],
    ["an empty rpc map versus none", (m) => (m.rpc = {})],
  ];
  const seen = new Set([richDigest]);
  for (const [what, change] of surfaceChanges) {
    test(what, () => {
      const digest = digestOf(withRich(change));
      expect(digest).not.toBe(richDigest);
      seen.add(digest);
    });
  }

  test("resources: omitted `required` and explicit `true` digest differently (no defaults)", () => {
    const omitted = withRich((m) => delete m.resources.kv.cache.required);
    const explicit = withRich((m) => (m.resources.kv.cache.required = true));
    expect(digestOf(omitted)).not.toBe(digestOf(explicit));
    const storeOmitted = withRich((m) => delete m.resources.store.exports.required);
    const storeExplicit = withRich((m) => (m.resources.store.exports.required = true));
    expect(digestOf(storeOmitted)).not.toBe(digestOf(storeExplicit));
  });

  test("job settings equal to the runtime defaults still digest differently from absent ones", () => {
    const base = changed(workersA3() as Json, () => {});
    const withDefaults = changed(base, (m) => (m.jobs.minimal.maxDeliver = 5));
    expect(digestOf(withDefaults)).not.toBe(digestOf(base));
  });
});

describe("projection details (§4)", () => {
  test("Reachable: the first n.errors entry with a type wins, in JavaScript property order", () => {
    const input = withRich((m) => {
      m.schemas.ByLetter = { type: "object" };
      m.schemas.ByNumber = { type: "string" };
      m.errors = {
        b: { type: "NoteMissing", schema: { schema: "ByLetter" } },
        "7": { type: "NoteMissing", schema: { schema: "ByNumber" } },
      };
    });
    const n = normalizeManifest(parseManifest(input).orThrow());
    expect(reachableSchemas(n).has("ByNumber")).toBe(true);
    expect(reachableSchemas(n).has("ByLetter")).toBe(false);
    // Both declarations of a referenced type are projected.
    expect(Object.keys(projectManifest(n) as Json).includes("errors")).toBe(true);
    expect((projectManifest(n) as Json).errors).toEqual({
      "7": { type: "NoteMissing", schema: { schema: "ByNumber" } },
      b: { type: "NoteMissing", schema: { schema: "ByLetter" } },
    });
  });

  test("Reachable has no transitive step and ignores exports", () => {
    const n = normalizeManifest(parseManifest(rich).orThrow());
    const reachable = reachableSchemas(n);
    expect(reachable.has("Public")).toBe(false);
    expect([...reachable].sort()).toEqual(
      [
        "Entry",
        "Export",
        "Job",
        "JobResult",
        "Note",
        "NoteGet",
        "NoteMissingData",
        "Prefs",
        "PrefsV1",
        "Progress",
        "Query",
        "Signal",
      ].sort(),
    );
  });

  test("schemas and errors are omitted when nothing is reachable or referenced", () => {
    const p = projectionOf({ ...minimalManifest(), schemas: { A: true }, errors: { E: { type: "E" } } });
    expect(p).toEqual({ format: "trellis.contract.v1", id: "mini@v1", kind: "service" });
  });

  test("uses: R is projected required (even {}), O drops R's aliases and is omitted when empty with R present", () => {
    const uses = (value: Json) => projectionOf({ ...minimalManifest(), uses: value }).uses;
    const use = { contract: "a@v1", rpc: { call: ["B", "A", "B"] }, events: {} };
    expect(uses({ required: {} })).toEqual({ required: {} });
    expect(uses({ optional: {} })).toEqual({ optional: {} });
    expect(uses({ required: {}, optional: {} })).toEqual({ required: {} });
    expect(uses({})).toBeUndefined();
    expect(uses({ required: { a: use }, optional: { a: { contract: "a@v1", rpc: { call: ["Z"] } } } })).toEqual({
      required: { a: { contract: "a@v1", rpc: { call: ["A", "B"] } } },
    });
    expect(uses({ required: { a: use }, optional: { b: use } })).toEqual({
      required: { a: { contract: "a@v1", rpc: { call: ["A", "B"] } } },
      optional: { b: { contract: "a@v1", rpc: { call: ["A", "B"] } } },
    });
  });

  test("A3's projection of uses, operations, rpc and consumers", () => {
    const p = projectionOf(workersA3());
    expect(p.uses).toEqual({
      required: {
        billing: { contract: "billing@v1", rpc: { call: ["Billing.Quote"] }, operations: { call: ["Billing.Refund"] } },
        partners: {
          contract: "partners@v1",
          events: { subscribe: ["Partner.Changed", "Partner.Ping"] },
          feeds: { subscribe: ["Partner.Watch"] },
        },
      },
      optional: { core: { contract: "trellis.core@v1", rpc: { call: ["Trellis.Catalog", "Trellis.Surface.Status"] } } },
    });
    expect(p.operations["Workers.Start"].capabilities).toEqual({});
    expect(p.rpc["Workers.Status"]).not.toHaveProperty("capabilities");
    expect(p.jobs.reindex).not.toHaveProperty("docs");
    expect(p.eventConsumers.sync).toEqual({
      uses: { partners: ["Partner.Changed", "Partner.Ping"] },
      replay: "all",
      ordering: "strict",
      concurrency: 1,
    });
  });

  test("resources are projected only with kv or store", () => {
    const without = (resources: Json) =>
      withRich((m) => {
        delete m.operations["Notes.Export"].transfer;
        m.resources = resources;
      });
    expect(projectionOf(without({}))).not.toHaveProperty("resources");
    expect(projectionOf(without({ kv: {} })).resources).toEqual({ kv: {} });
  });

  test("nothing but the listed members is projected", () => {
    const p = projectionOf(rich);
    expect(Object.keys(p).sort()).toEqual(
      [
        "capabilities",
        "errors",
        "eventConsumers",
        "events",
        "feeds",
        "format",
        "id",
        "jobs",
        "kind",
        "operations",
        "resources",
        "rpc",
        "schemas",
        "state",
        "uses",
      ].sort(),
    );
    expect(JSON.stringify(p)).not.toContain("markdown");
  });

  test("contractDigest is 43 base64url characters", () => {
    expect(contractDigest(normalizeManifest(parseManifest(rich).orThrow()))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("helpers", () => {
  test("contractNamespace and parseContractId", () => {
    expect(contractNamespace("trellis.jobs@v1")).toBe("trellis.jobs");
    expect(contractNamespace("acme.notes-web@v12")).toBe("acme.notes-web");
    expect(parseContractId("acme.notes@v2")).toEqual({ name: "acme.notes", major: 2 });
    expect(parseContractId("acme.notes")).toBeUndefined();
    expect(parseContractId("acme@v01")).toBeUndefined();
    expect(parseContractId("@v1")).toBeUndefined();
  });

  test("listSurfaces lists every surface by kind, names sorted", () => {
    const n = normalizeManifest(parseManifest(rich).orThrow());
    expect(listSurfaces(n)).toEqual([
      { kind: "rpc", name: "Notes.Download", subject: "rpc.v1.Notes.Download" },
      { kind: "rpc", name: "Notes.Get", subject: "rpc.v1.Notes.Get" },
      { kind: "operation", name: "Notes.Export", subject: "operations.v1.Notes.Export" },
      { kind: "event", name: "Note.Changed", subject: "events.v1.Note.Changed.{/owner/id}.{/owner/tier}" },
      { kind: "event", name: "Note.Deleted", subject: "events.v1.Note.Deleted" },
      { kind: "feed", name: "Notes.Watch", subject: "feeds.v1.Notes.Watch" },
    ]);
    expect(listSurfaces(normalizeManifest(parseManifest(minimalManifest()).orThrow()))).toEqual([]);
  });
});
