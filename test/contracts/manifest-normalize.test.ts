import { describe, expect, test } from "bun:test";
import {
  canonicalJson,
  loadManifest,
  normalizeManifest,
  parseManifest,
  type NormalizedManifest,
} from "../../src/contracts/index.ts";
import { billingA1, partnersA2, richManifest, SEEDS, workersA3 } from "./manifest-fixtures.ts";
import { changed, type Json } from "./manifest-test-helpers.ts";

const normalize = (input: unknown): NormalizedManifest => normalizeManifest(parseManifest(input).orThrow());
/** The normalized manifest as plain JSON, for deep comparisons. */
const normalizedJson = (input: unknown): Json => JSON.parse(JSON.stringify(normalize(input)));
const rich = richManifest() as Json;
const withRich = (change: (m: Json) => void) => changed(rich, change);

describe("§3.1 only §1 members survive", () => {
  test("unknown members vanish at every level", () => {
    const n = normalizedJson(
      withRich((m) => {
        m.futureTopLevel = { a: 1 };
        m.rpc["Notes.Get"].futureFlag = true;
        m.rpc["Notes.Get"].input.extra = 1;
        m.operations["Notes.Export"].transfer.resumable = true;
        m.uses.required.billing.rpc.publish = ["x"];
        m.uses.required.billing.note = "x";
        m.docs.extra = "x";
        m.resources.kv.cache.replicas = 3;
        m.eventConsumers.projector.durableName = "x";
      }),
    );
    expect(n).toEqual(normalizedJson(rich));
  });

  test("aliases directly under uses vanish; rpc internal is dropped", () => {
    const n = normalize(workersA3());
    expect(Object.keys(n.uses!)).toEqual(["required", "optional"]);
    expect(n.rpc!["Workers.Status"]).not.toHaveProperty("internal");
    expect(
      normalize(withRich((m) => (m.rpc["Notes.Download"].internal = true))).rpc!["Notes.Download"],
    ).not.toHaveProperty("internal");
  });

  test("embedded schemas are copied verbatim, unknown keywords included, and not shared with the input", () => {
    const input = withRich(
      (m) => (m.schemas.Query = { type: "object", "x-vendor": { deep: [1, { a: null }] }, $comment: "kept" }),
    );
    const n = normalize(input);
    expect(n.schemas!.Query).toEqual({ type: "object", "x-vendor": { deep: [1, { a: null }] }, $comment: "kept" });
    input.schemas.Query["x-vendor"].deep.push(2);
    input.rpc["Notes.Get"].capabilities.call.push("admin");
    expect(n.schemas!.Query).toEqual({ type: "object", "x-vendor": { deep: [1, { a: null }] }, $comment: "kept" });
    expect(n.rpc!["Notes.Get"]!.capabilities!.call).toEqual(["acme.notes::read"]);
  });
});

describe("§3.2 defaults only in consumer groups", () => {
  test("replay, ordering and concurrency are written when absent; uses lists and self become SU", () => {
    const n = normalize(workersA3());
    expect(n.eventConsumers!.sync).toEqual({
      uses: { partners: ["Partner.Changed", "Partner.Ping"] },
      replay: "all",
      ordering: "strict",
      concurrency: 1,
    });
    expect(normalize(partnersA2()).eventConsumers!.projector).toEqual({
      self: ["Partner.Changed", "Partner.Ping"],
      replay: "new",
      ordering: "strict",
      concurrency: 1,
      ackWaitMs: 60000,
    });
  });

  test("no job, kv, store or state defaults are written", () => {
    const n = normalize(workersA3());
    expect(n.jobs!.minimal).toEqual({ payload: { schema: "P" } });
    const p = normalize(partnersA2());
    expect(p.resources!.kv!.cache).toEqual({ purpose: "Cache", schema: { schema: "Entry" }, history: 3 });
    expect(p.resources!.store!.uploads).toEqual({ purpose: "Uploads", required: false, ttlMs: 86400000 });
    expect(normalize(rich).state!.drafts).toEqual({ kind: "map", schema: { schema: "Note" } });
  });

  test("other lists keep their order and duplicates", () => {
    const n = normalize(billingA1());
    expect(n.operations!["Billing.Refund"]!.capabilities!.call).toEqual(["billing::refund", "billing::refund"]);
    expect(n.rpc!["Billing.Quote"]!.errors).toEqual([
      { type: "ValidationError" },
      { type: "LimitExceeded" },
      { type: "ValidationError" },
    ]);
    expect(normalize(workersA3()).jobs!.reindex!.backoffMs).toEqual([30000, 5000]);
  });
});

describe("§3.3 capabilities survival and empty strings", () => {
  test("rpc capabilities survive only with call, feed capabilities only with subscribe", () => {
    expect(normalize(workersA3()).rpc!["Workers.Status"]).not.toHaveProperty("capabilities");
    const feed = normalize(withRich((m) => (m.feeds["Notes.Watch"].capabilities = {}))).feeds!["Notes.Watch"]!;
    expect(feed).not.toHaveProperty("capabilities");
    expect(normalize(rich).rpc!["Notes.Get"]!.capabilities).toEqual({ call: ["acme.notes::read"] });
  });

  test("operation and event capabilities survive whenever present, even {}", () => {
    expect(normalize(workersA3()).operations!["Workers.Start"]!.capabilities).toEqual({});
    expect(normalize(partnersA2()).events!["Partner.Ping"]!.capabilities).toEqual({});
  });

  test("empty consequence, stateVersion, contentType and metadata are dropped; non-empty ones kept", () => {
    const n = normalize(
      withRich((m) => {
        m.state.prefs.stateVersion = "";
        m.operations["Notes.Export"].transfer.contentType = "";
        m.operations["Notes.Export"].transfer.metadata = "";
      }),
    );
    expect(n.capabilities!["acme.notes::export"]).toEqual({ displayName: "Export", description: "Export notes." });
    expect(n.capabilities!["acme.notes::write"]!.consequence).toBe("Overwrites data.");
    expect(n.state!.prefs).not.toHaveProperty("stateVersion");
    expect(n.operations!["Notes.Export"]!.transfer).toEqual({
      direction: "send",
      store: "exports",
      key: "/name",
      expiresInMs: 60000,
      maxBytes: 1048576,
    });
    expect(normalize(rich).operations!["Notes.Export"]!.transfer!.metadata).toBe("/meta");
  });
});

describe("§3.4 present optional members survive, including {}, [] and false", () => {
  test("empty maps, lists and false", () => {
    const n = normalizedJson(
      withRich((m) => {
        m.exports = {};
        m.uses.optional = {};
        m.rpc["Notes.Get"].errors = [];
        m.operations["Notes.Export"].cancel = false;
        m.operations["Notes.Export"].signals = {};
        m.jobs.reindex.backoffMs = [];
        delete m.operations["Notes.Export"].transfer;
        m.resources = {};
        m.errors = {};
        m.state.prefs.acceptedVersions = {};
        m.feeds = {};
      }),
    );
    expect(n.exports).toEqual({});
    expect(n.uses.optional).toEqual({});
    expect(n.rpc["Notes.Get"].errors).toEqual([]);
    expect(n.operations["Notes.Export"].cancel).toBe(false);
    expect(n.operations["Notes.Export"].signals).toEqual({});
    expect(n.jobs.reindex.backoffMs).toEqual([]);
    expect(n.jobs.reindex.progress).toBe(false);
    expect(n.resources).toEqual({});
    expect(n.errors).toEqual({});
    expect(n.state.prefs.acceptedVersions).toEqual({});
    expect(n.feeds).toEqual({});
  });

  test("present use containers keep their known lists, empty ones included", () => {
    const n = normalize(workersA3());
    expect(n.uses!.required!.partners!.rpc).toEqual({});
    expect(n.uses!.optional!.core!.events).toEqual({});
  });
});

describe("normalization as a whole", () => {
  test("keeps record order (JavaScript property order)", () => {
    const n = normalize(
      withRich(
        (m) =>
          (m.errors = {
            z: { type: "NoteMissing" },
            "10": { type: "NoteMissing" },
            a: { type: "UnusedError" },
            "2": { type: "X" },
          }),
      ),
    );
    expect(Object.keys(n.errors!)).toEqual(["2", "10", "z", "a"]);
  });

  test("is idempotent and survives the canonical round trip", () => {
    for (const seed of SEEDS) {
      const once = normalize(seed.make());
      const twice = normalizeManifest(once);
      expect(canonicalJson(twice).orThrow()).toBe(canonicalJson(once).orThrow());
      const loaded = loadManifest(seed.make()).orThrow();
      const reloaded = loadManifest(JSON.parse(loaded.canonical)).orThrow();
      expect(reloaded.canonical).toBe(loaded.canonical);
      expect(reloaded.digest).toBe(loaded.digest);
    }
  });

  test("A3 normalizes to exactly this", () => {
    expect(normalizedJson(workersA3())).toEqual({
      format: "trellis.contract.v1",
      id: "workers@v1",
      displayName: "Workers",
      description: "Background work.",
      kind: "service",
      schemas: { P: { type: "object" }, R: { type: "object" }, S: { type: "object" } },
      uses: {
        required: {
          billing: {
            contract: "billing@v1",
            rpc: { call: ["Billing.Quote", "Billing.Quote"] },
            operations: { call: ["Billing.Refund"] },
          },
          partners: {
            contract: "partners@v1",
            rpc: {},
            events: { subscribe: ["Partner.Ping", "Partner.Changed"] },
            feeds: { subscribe: ["Partner.Watch"] },
          },
        },
        optional: {
          partners: { contract: "partners@v1", rpc: { call: ["Nope"] } },
          core: {
            contract: "trellis.core@v1",
            rpc: { call: ["Trellis.Surface.Status", "Trellis.Catalog"] },
            events: {},
          },
        },
      },
      jobs: {
        reindex: {
          payload: { schema: "P" },
          result: { schema: "R" },
          maxDeliver: 5,
          backoffMs: [30000, 5000],
          ackWaitMs: 300000,
          defaultDeadlineMs: 900000,
          progress: true,
          logs: false,
          dlq: true,
          concurrency: 4,
          docs: { markdown: "Reindex." },
        },
        minimal: { payload: { schema: "P" } },
      },
      operations: {
        "Workers.Start": {
          version: "v1",
          subject: "operations.v1.Workers.Start",
          input: { schema: "S" },
          output: { schema: "S" },
          capabilities: {},
        },
      },
      rpc: {
        "Workers.Status": {
          version: "v1",
          subject: "rpc.v1.Workers.Status",
          input: { schema: "S" },
          output: { schema: "S" },
        },
      },
      eventConsumers: {
        sync: {
          uses: { partners: ["Partner.Changed", "Partner.Ping"] },
          replay: "all",
          ordering: "strict",
          concurrency: 1,
        },
      },
    });
  });
});
