import { describe, expect, test } from "bun:test";
import { compareContracts, loadManifest, type Finding, type NormalizedManifest } from "../../src/contracts/index.ts";
import { shopManifest, tinyManifest } from "./compatibility-fixtures.ts";
import type { Json } from "./manifest-test-helpers.ts";

/**
 * Hand-written change cases. Each builds an old and a new manifest from a
 * base and lists the expected findings as "<change> <caller> <owner>"
 * (B = breaking, C = compatible), old → new (`forward`) and new → old
 * (`backward`): every case is checked both ways. `contract.id-not-bumped`
 * is checked separately (present exactly when some finding breaks callers
 * and the id did not change).
 */
type Case = {
  name: string;
  base?: () => Json;
  before?: (m: Json) => void;
  after: (m: Json) => void;
  forward: string[];
  backward: string[];
  /** Text that some forward finding's message must contain. */
  says?: string;
};

const rpc = (m: Json) => m.rpc["Shop.Get"];
const op = (m: Json) => m.operations["Shop.Ship"];
const schema = (m: Json, name: string) => m.schemas[name];

const CASES: Case[] = [
  { name: "no change", after: () => {}, forward: [], backward: [] },
  {
    name: "copy only: names, descriptions, docs, purpose, schema annotations",
    after: (m) => {
      m.displayName = "The Shop";
      m.description = "Sells more things.";
      m.docs = { markdown: "Other docs." };
      m.capabilities["acme.shop::read"].description = "Read every item.";
      m.capabilities["acme.shop::write"].consequence = "Moves a lot of stock.";
      rpc(m).docs = { markdown: "Gets an item." };
      m.resources.kv.stock.purpose = "Levels";
      schema(m, "GetOut").properties.label.description = "A label.";
      schema(m, "GetIn").title = "Get input";
    },
    forward: [],
    backward: [],
  },

  // identity
  {
    name: "different lineage",
    base: () => tinyManifest(),
    after: (m) => (m.id = "acme.other@v1"),
    forward: ["contract.lineage-changed B B"],
    backward: ["contract.lineage-changed B B"],
  },
  {
    name: "kind changes",
    base: () => tinyManifest(),
    after: (m) => (m.kind = "app"),
    forward: ["contract.kind-changed B B"],
    backward: ["contract.kind-changed B B"],
  },
  {
    name: "id bumped with a breaking change",
    base: () => ({
      ...tinyManifest(),
      rpc: {
        "Tiny.Ping": { version: "v1", subject: "rpc.v1.Tiny.Ping", input: { schema: "E" }, output: { schema: "E" } },
      },
      schemas: { E: { type: "object" } },
    }),
    after: (m) => {
      m.id = "acme.tiny@v2";
      delete m.rpc;
      delete m.schemas;
    },
    forward: ["contract.version-bumped C C", "rpc.removed B C"],
    backward: ["contract.version-lowered B C", "rpc.added C C"],
  },

  // capabilities
  {
    name: "capability declaration removed",
    after: (m) => delete m.capabilities["acme.shop::admin"],
    forward: ["capability.declaration-removed B C"],
    backward: ["capability.declaration-added C C"],
  },
  {
    name: "rpc call needs another capability",
    after: (m) => rpc(m).capabilities.call.push("acme.shop::admin"),
    forward: ["capability.required-added B C"],
    backward: ["capability.required-removed C C"],
  },

  // rpc
  {
    name: "rpc removed",
    after: (m) => delete m.rpc["Shop.Get"],
    forward: ["rpc.removed B C"],
    backward: ["rpc.added C C"],
  },
  {
    name: "rpc renamed (same schemas)",
    after: (m) => {
      m.rpc["Shop.Fetch"] = { ...rpc(m), subject: "rpc.v1.Shop.Fetch" };
      delete m.rpc["Shop.Get"];
    },
    forward: ["rpc.added C C", "rpc.removed B C"],
    backward: ["rpc.added C C", "rpc.removed B C"],
    says: "possibly renamed to 'Shop.Fetch'",
  },
  {
    name: "rpc subject changed",
    after: (m) => (rpc(m).subject = "rpc.v1.Shop.Lookup"),
    forward: ["rpc.subject-changed B C"],
    backward: ["rpc.subject-changed B C"],
  },
  {
    name: "rpc version changed",
    after: (m) => (rpc(m).version = "v2"),
    forward: ["rpc.version-changed B C"],
    backward: ["rpc.version-changed B C"],
  },
  {
    name: "input: a required property is added",
    after: (m) => {
      schema(m, "GetIn").properties.tenant = { type: "string" };
      schema(m, "GetIn").required.push("tenant");
    },
    forward: ["schema.required-added B C"],
    backward: ["schema.required-removed C C"],
  },
  {
    name: "input: an optional property is added",
    after: (m) => (schema(m, "GetIn").properties.note = { type: "string" }),
    forward: ["schema.optional-property-added C C"],
    backward: ["schema.optional-property-removed C C"],
  },
  {
    name: "input: minLength raised",
    after: (m) => (schema(m, "GetIn").properties.id.minLength = 3),
    forward: ["schema.bounds-narrowed B C"],
    backward: ["schema.bounds-widened C C"],
    says: "input: id: minLength 1 → 3",
  },
  {
    name: "input: enum loses a value",
    after: (m) => (schema(m, "GetIn").properties.tag.enum = ["a", "b"]),
    forward: ["schema.enum-narrowed B C"],
    backward: ["schema.enum-widened C C"],
  },
  {
    name: "output: enum gains a value",
    after: (m) => schema(m, "GetOut").properties.status.enum.push("archived"),
    forward: ["schema.enum-widened B C"],
    backward: ["schema.enum-narrowed C C"],
  },
  {
    name: "output: a property is no longer required",
    after: (m) => (schema(m, "GetOut").required = ["id", "status"]),
    forward: ["schema.required-removed B C"],
    backward: ["schema.required-added C C"],
  },
  {
    name: "output: integer → number",
    after: (m) => (schema(m, "GetOut").properties.count = { type: "number", minimum: 0 }),
    forward: ["schema.type-widened B C"],
    backward: ["schema.type-narrowed C C"],
  },
  {
    name: "output: nullable via anyOf",
    after: (m) => (schema(m, "GetOut").properties.label = { anyOf: [{ type: "string" }, { type: "null" }] }),
    forward: ["schema.type-widened B C"],
    backward: ["schema.type-narrowed C C"],
  },
  {
    name: "output: record values change type",
    after: (m) => (schema(m, "Counts").additionalProperties = { type: "string" }),
    forward: ["schema.type-changed B C"],
    backward: ["schema.type-changed B C"],
  },
  {
    name: "rpc error no longer declared",
    after: (m) => (rpc(m).errors = [{ type: "ValidationError" }]),
    forward: ["rpc.error-removed B C"],
    backward: ["rpc.error-added C C"],
  },
  {
    name: "declared error data gains a required field",
    after: (m) => schema(m, "Missing").required.push("itemId"),
    forward: ["schema.required-added C C"],
    backward: ["schema.required-removed B C"],
  },
  {
    name: "rpc transfer added",
    after: (m) => (rpc(m).transfer = { direction: "receive" }),
    forward: ["rpc.transfer-added B C"],
    backward: ["rpc.transfer-removed B C"],
  },

  // operations
  {
    name: "operation subject changed",
    after: (m) => (op(m).subject = "operations.v1.Shop.Send"),
    forward: ["operation.subject-changed B C"],
    backward: ["operation.subject-changed B C"],
  },
  {
    name: "operation signal removed",
    after: (m) => delete op(m).signals,
    forward: ["operation.signal-removed B C"],
    backward: ["operation.signal-added C C"],
  },
  {
    name: "operation signal input needs a field (stored signals too)",
    after: (m) => (schema(m, "Approve").required = ["note"]),
    forward: ["schema.required-added B B"],
    backward: ["schema.required-removed C C"],
  },
  {
    name: "operation progress maximum raised (stored snapshots)",
    after: (m) => (schema(m, "ShipProgress").properties.percent.maximum = 200),
    forward: ["schema.bounds-widened B C"],
    backward: ["schema.bounds-narrowed C B"],
  },
  {
    name: "operation output required field dropped",
    after: (m) => (schema(m, "ShipOut").required = []),
    forward: ["schema.required-removed B C"],
    backward: ["schema.required-added C B"],
  },
  {
    name: "operation progress no longer typed",
    after: (m) => delete op(m).progress,
    forward: ["operation.progress-removed B C"],
    backward: ["operation.progress-added C C"],
  },
  {
    name: "operation no longer cancellable",
    after: (m) => (op(m).cancel = false),
    forward: ["operation.cancel-disabled B C"],
    backward: ["operation.cancel-enabled C C"],
  },
  {
    name: "operation observe gate swapped",
    after: (m) => (op(m).capabilities.observe = ["acme.shop::write"]),
    forward: ["capability.required-added B C", "capability.required-removed C C"],
    backward: ["capability.required-added B C", "capability.required-removed C C"],
  },
  {
    name: "operation observe falls back to call",
    after: (m) => delete op(m).capabilities.observe,
    forward: ["capability.required-added B C", "capability.required-removed C C"],
    backward: ["capability.required-added B C", "capability.required-removed C C"],
  },
  {
    name: "operation takes an upload",
    after: (m) => (op(m).transfer = { direction: "send", store: "photos", key: "/id" }),
    forward: ["operation.transfer-added B C"],
    backward: ["operation.transfer-removed B C"],
  },
  {
    name: "operation upload limit lowered",
    before: (m) => (op(m).transfer = { direction: "send", store: "photos", key: "/id", maxBytes: 2000 }),
    after: (m) => (op(m).transfer = { direction: "send", store: "photos", key: "/id", maxBytes: 1000 }),
    forward: ["operation.transfer-changed B C"],
    backward: ["operation.transfer-changed C C"],
  },

  // events
  {
    name: "event subject gains a parameter (self-consumed)",
    after: (m) => {
      m.events["Shop.Changed"].subject = "events.v1.Shop.Changed.{/status}.{/id}";
      m.events["Shop.Changed"].params = ["/status", "/id"];
    },
    forward: ["event.subject-changed B B"],
    backward: ["event.subject-changed B B"],
  },
  {
    name: "event params swapped (same wildcard subject)",
    before: (m) => {
      m.events["Shop.Changed"].subject = "events.v1.Shop.Changed.{/status}.{/id}";
      m.events["Shop.Changed"].params = ["/status", "/id"];
    },
    after: (m) => {
      m.events["Shop.Changed"].subject = "events.v1.Shop.Changed.{/id}.{/status}";
      m.events["Shop.Changed"].params = ["/id", "/status"];
    },
    forward: ["event.params-changed B C"],
    backward: ["event.params-changed B C"],
  },
  {
    name: "event gains a status (self-consumed: history stays valid)",
    after: (m) => schema(m, "Changed").properties.status.enum.push("archived"),
    forward: ["schema.enum-widened B C"],
    backward: ["schema.enum-narrowed C B"],
  },
  {
    name: "event with external publishers needs a field",
    before: (m) => (m.events["Shop.Pinged"].capabilities = { publish: ["acme.shop::write"] }),
    after: (m) => {
      m.events["Shop.Pinged"].capabilities = { publish: ["acme.shop::write"] };
      schema(m, "Ping").required = ["at"];
    },
    forward: ["schema.required-added B C"],
    backward: ["schema.required-removed B C"],
  },
  {
    name: "event removed",
    after: (m) => delete m.events["Shop.Pinged"],
    forward: ["event.removed B C"],
    backward: ["event.added C C"],
  },
  {
    name: "event subscribe gate dropped",
    after: (m) => delete m.events["Shop.Changed"].capabilities,
    forward: ["capability.required-removed C C"],
    backward: ["capability.required-added B C"],
  },

  // feeds
  {
    name: "feed input maxLength lowered",
    after: (m) => (schema(m, "WatchIn").properties.prefix.maxLength = 10),
    // WatchIn is also the input of Shop.Counts
    forward: ["schema.bounds-narrowed B C", "schema.bounds-narrowed B C"],
    backward: ["schema.bounds-widened C C", "schema.bounds-widened C C"],
  },
  {
    name: "feed removed",
    after: (m) => delete m.feeds["Shop.Watch"],
    forward: ["feed.removed B C"],
    backward: ["feed.added C C"],
  },

  // exports
  {
    name: "export removed",
    after: (m) => delete m.exports,
    forward: ["export.removed B C"],
    backward: ["export.added C C"],
  },

  // jobs
  {
    name: "job maxDeliver lowered",
    after: (m) => (m.jobs.restock.maxDeliver = 3),
    forward: ["job.max-deliver-lowered C B"],
    backward: ["job.max-deliver-raised C C"],
  },
  {
    name: "job ackWaitMs lowered",
    after: (m) => (m.jobs.restock.ackWaitMs = 10000),
    forward: ["job.ack-wait-lowered C B"],
    backward: ["job.ack-wait-raised C C"],
  },
  {
    name: "job backoff shortened",
    after: (m) => (m.jobs.restock.backoffMs = [1000, 2000]),
    forward: ["job.backoff-shortened C B"],
    backward: ["job.backoff-lengthened C C"],
  },
  {
    name: "job payload needs a field (queued jobs and old workers)",
    after: (m) => schema(m, "Task").required.push("quantity"),
    forward: ["schema.required-added C B"],
    backward: ["schema.required-removed C B"],
  },
  {
    name: "job payload gains an optional field",
    after: (m) => (schema(m, "Task").properties.note = { type: "string" }),
    forward: ["schema.optional-property-added C C"],
    backward: ["schema.optional-property-removed C C"],
  },
  {
    name: "job result no longer typed",
    after: (m) => delete m.jobs.restock.result,
    forward: ["job.result-removed C C"],
    backward: ["job.result-added C C"],
  },
  {
    name: "job queue removed",
    after: (m) => delete m.jobs,
    forward: ["job.removed C B"],
    backward: ["job.added C C"],
  },
  {
    name: "job concurrency changed",
    after: (m) => (m.jobs.restock.concurrency = 4),
    forward: ["job.setting-changed C C"],
    backward: ["job.setting-changed C C"],
  },
  {
    name: "job defaults written out are no change",
    before: (m) => (m.jobs.restock = { payload: { schema: "Task" } }),
    after: (m) =>
      (m.jobs.restock = { payload: { schema: "Task" }, maxDeliver: 5, ackWaitMs: 300000, dlq: true, concurrency: 1 }),
    forward: [],
    backward: [],
  },

  // consumer groups
  {
    name: "consumer replay changed",
    after: (m) => (m.eventConsumers.audit.replay = "new"),
    forward: ["consumer.replay-changed C B"],
    backward: ["consumer.replay-changed C B"],
  },
  {
    name: "consumer group removed",
    after: (m) => delete m.eventConsumers,
    forward: ["consumer.removed C B"],
    backward: ["consumer.added C C"],
  },
  {
    name: "consumer group maxDeliver lowered",
    after: (m) => (m.eventConsumers.audit.maxDeliver = 2),
    forward: ["consumer.max-deliver-lowered C B"],
    backward: ["consumer.max-deliver-raised C C"],
  },
  {
    name: "consumer group reads another event",
    after: (m) => m.eventConsumers.audit.self.push("Shop.Pinged"),
    forward: ["consumer.event-added C C"],
    backward: ["consumer.event-removed C C"],
  },

  // resources
  {
    name: "kv values narrowed",
    after: (m) => (schema(m, "Stock").properties.level.enum = ["low", "ok"]),
    forward: ["schema.enum-narrowed C B"],
    backward: ["schema.enum-widened C C"],
  },
  {
    name: "kv history lowered",
    after: (m) => (m.resources.kv.stock.history = 1),
    forward: ["kv.history-lowered C B"],
    backward: ["kv.history-raised C C"],
  },
  {
    name: "kv values now expire",
    after: (m) => (m.resources.kv.stock.ttlMs = 86400000),
    forward: ["kv.ttl-shortened C B"],
    backward: ["kv.ttl-lengthened C C"],
  },
  {
    name: "kv removed",
    after: (m) => delete m.resources.kv,
    forward: ["kv.removed C B"],
    backward: ["kv.added C C"],
  },
  {
    name: "store object limit lowered",
    after: (m) => (m.resources.store.photos.maxObjectBytes = 1000),
    forward: ["store.max-object-bytes-lowered C B"],
    backward: ["store.max-object-bytes-raised C C"],
  },

  // state
  {
    name: "state schema narrowed without a version bump",
    after: (m) => (schema(m, "Prefs").properties.theme.maxLength = 5),
    forward: ["schema.bounds-narrowed C B"],
    backward: ["schema.bounds-widened C C"],
  },
  {
    name: "state schema narrowed with a version bump",
    after: (m) => {
      schema(m, "Prefs").properties.theme.maxLength = 5;
      m.state.prefs.stateVersion = "v2";
    },
    forward: ["schema.bounds-narrowed C C", "state.version-changed C C"],
    backward: ["schema.bounds-widened C C", "state.version-changed C C"],
  },
  {
    name: "state store kind changed",
    after: (m) => (m.state.prefs.kind = "map"),
    forward: ["state.kind-changed C B"],
    backward: ["state.kind-changed C B"],
  },

  // uses
  {
    name: "a new required dependency",
    after: (m) => (m.uses.required.stock = { contract: "acme.stock@v1", rpc: { call: ["Stock.Get"] } }),
    forward: ["uses.required-added C B"],
    backward: ["uses.removed C C"],
  },
  {
    name: "an optional dependency becomes required",
    after: (m) => {
      m.uses.required.mail = m.uses.optional.mail;
      delete m.uses.optional;
    },
    forward: ["uses.promoted C B"],
    backward: ["uses.demoted C C"],
  },
  {
    name: "a required dependency is used for more",
    after: (m) => m.uses.required.billing.rpc.call.push("Billing.Refund"),
    forward: ["uses.surface-added C B"],
    backward: ["uses.surface-removed C C"],
  },
  {
    name: "a new optional dependency",
    after: (m) => (m.uses.optional.sms = { contract: "acme.sms@v1", rpc: { call: ["Sms.Send"] } }),
    forward: ["uses.optional-added C C"],
    backward: ["uses.removed C C"],
  },
  {
    name: "a dependency targets another contract",
    after: (m) => (m.uses.required.billing.contract = "acme.billing@v2"),
    forward: ["uses.contract-changed C B"],
    backward: ["uses.contract-changed C B"],
  },
];

function load(manifest: Json): NormalizedManifest {
  const loaded = loadManifest(manifest);
  if (loaded.isErr()) throw new Error(`invalid test manifest: ${JSON.stringify(loaded.error.issues, null, 1)}`);
  return loaded.value.manifest;
}

function build(c: Case): [NormalizedManifest, NormalizedManifest] {
  const base = c.base ?? shopManifest;
  const before = base();
  c.before?.(before);
  const after = structuredClone(before);
  c.after(after);
  return [load(before), load(after)];
}

const short = (impact: Finding["caller"]) => (impact === "breaking" ? "B" : "C");
const summary = (findings: Finding[]) =>
  findings
    .filter((f) => f.change !== "contract.id-not-bumped")
    .map((f) => `${f.change} ${short(f.caller)} ${short(f.owner)}`)
    .sort();

function checkDirection(old: NormalizedManifest, now: NormalizedManifest, expected: string[], says?: string): void {
  const report = compareContracts(old, now);
  expect(summary(report.findings)).toEqual([...expected].sort());
  const callerBreaking = report.findings.some((f) => f.caller === "breaking" && f.change !== "contract.id-not-bumped");
  const notBumped = report.findings.some((f) => f.change === "contract.id-not-bumped");
  expect(notBumped).toBe(callerBreaking && old.id === now.id);
  expect(report.compatible).toBe(report.findings.every((f) => f.caller === "compatible" && f.owner === "compatible"));
  if (says !== undefined) expect(report.findings.map((f) => f.message).join("\n")).toContain(says);
  for (const finding of report.findings) expect(finding.path).toStartWith("/");
}

describe("compareContracts: change cases, both ways", () => {
  test("the table is large enough", () => expect(CASES.length).toBeGreaterThanOrEqual(40));
  for (const c of CASES) {
    test(c.name, () => {
      const [old, now] = build(c);
      checkDirection(old, now, c.forward, c.says);
      checkDirection(now, old, c.backward);
    });
  }
});

describe("compareContracts: report", () => {
  test("findings carry the surface, a pointer into the manifest and a message", () => {
    const [old, now] = build(CASES.find((c) => c.name === "input: minLength raised")!);
    const [first, finding] = compareContracts(old, now).findings;
    expect(first!.change).toBe("contract.id-not-bumped");
    expect(finding).toEqual({
      path: "/rpc/Shop.Get/input",
      surface: { kind: "rpc", name: "Shop.Get" },
      change: "schema.bounds-narrowed",
      message: "input: id: minLength 1 → 3 (requests old callers send may be rejected)",
      caller: "breaking",
      owner: "compatible",
    });
  });

  test("a breaking change without an id bump is reported against /id", () => {
    const [old, now] = build(CASES.find((c) => c.name === "rpc removed")!);
    const report = compareContracts(old, now);
    expect(report.findings[0]).toMatchObject({ path: "/id", change: "contract.id-not-bumped", caller: "breaking" });
    expect(report).toMatchObject({ sameLineage: true, callerBreaking: 2, ownerBreaking: 0, compatible: false });
  });

  test("owner-only breaks are migrations, not id bumps", () => {
    const [old, now] = build(CASES.find((c) => c.name === "job maxDeliver lowered")!);
    const report = compareContracts(old, now);
    expect(report.findings.map((f) => f.change)).toEqual(["job.max-deliver-lowered"]);
    expect(report).toMatchObject({ callerBreaking: 0, ownerBreaking: 1, compatible: false });
  });

  test("a different lineage is flagged", () => {
    const report = compareContracts(load(tinyManifest()), load(tinyManifest("acme.other@v1")));
    expect(report.sameLineage).toBe(false);
  });

  test("findings are sorted by section, surface, then pointer", () => {
    const old = load(shopManifest());
    const m = shopManifest();
    delete (m.rpc as Json)["Shop.Counts"];
    (m.jobs as Json).restock.maxDeliver = 1;
    (m.capabilities as Json)["acme.shop::extra"] = { displayName: "Extra", description: "More." };
    (m.schemas as Json).GetIn.properties.id.minLength = 5;
    const paths = compareContracts(old, load(m)).findings.map((f) => f.path);
    expect(paths).toEqual([
      "/id",
      "/capabilities/acme.shop::extra",
      "/rpc/Shop.Counts",
      "/rpc/Shop.Get/input",
      "/jobs/restock/maxDeliver",
    ]);
  });

  test("the same input always gives the same report", () => {
    const [old, now] = build(CASES.find((c) => c.name === "output: nullable via anyOf")!);
    expect(JSON.stringify(compareContracts(old, now))).toBe(JSON.stringify(compareContracts(old, now)));
  });
});
