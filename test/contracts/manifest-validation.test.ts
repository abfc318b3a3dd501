import { describe, expect, test } from "bun:test";
import { MAX_SCHEMA_DEPTH, MAX_SURFACES, parseManifest } from "../../src/contracts/index.ts";
import { minimalManifest, partnersA2, richManifest, SEEDS, workersA3 } from "./manifest-fixtures.ts";
import { changed, expectAccepted, expectRejected, issuesOf, type Json } from "./manifest-test-helpers.ts";

const rich = richManifest() as Json;
const withRich = (change: (m: Json) => void) => changed(rich, change);

describe("the seeds are valid", () => {
  for (const seed of SEEDS) test(seed.name, () => expectAccepted(seed.make()));
  test("the minimal manifest", () => expectAccepted(minimalManifest()));
});

describe("§2.1 non-objects and impure JSON", () => {
  for (const input of [[], "manifest", 42, null, true, undefined]) {
    test(`${JSON.stringify(input) ?? "undefined"} is not a manifest`, () => {
      expectRejected(input, "", /must be a JSON object, got/);
    });
  }

  test("-0, NaN and Infinity anywhere are rejected at their path", () => {
    expectRejected(
      withRich((m) => (m.schemas.Note.properties.noteId.minLength = -0)),
      "/schemas/Note/properties/noteId/minLength",
      "not a pure JSON value: -0",
    );
    expectRejected(
      withRich((m) => (m.jobs.reindex.maxDeliver = Number.NaN)),
      "/jobs/reindex/maxDeliver",
      "NaN is not finite",
    );
    expectRejected(
      withRich((m) => (m.extra = [Number.POSITIVE_INFINITY])),
      "/extra/0",
      "Infinity is not finite",
    );
  });

  test("-0 from JSON text is caught too", () => {
    expectRejected(
      JSON.parse(
        '{"format":"trellis.contract.v1","id":"a@v1","displayName":"A","description":"A","kind":"service","x":-0}',
      ),
      "/x",
      "-0",
    );
  });

  test("lone surrogates, cycles and non-JSON values are rejected", () => {
    expectRejected(
      withRich((m) => (m.description = "bad \ud800")),
      "/description",
      "lone surrogate",
    );
    const cyclic = withRich(() => {});
    cyclic.schemas.Query.self = cyclic;
    expectRejected(cyclic, "/schemas/Query/self", "cyclic reference");
    expectRejected(
      withRich((m) => (m.when = new Date(0))),
      "/when",
      "not a plain object",
    );
    expectRejected(
      withRich((m) => (m.size = 1n)),
      "/size",
      "bigint has no JSON form",
    );
  });

  test("impure JSON stops further checks: only the impurity is reported", () => {
    const issues = issuesOf(
      withRich((m) => {
        m.kind = "robot";
        m.x = Number.NaN;
      }),
    );
    expect(issues).toEqual([{ path: "/x", message: "not a pure JSON value: NaN is not finite" }]);
  });
});

describe("§2.2 members not supported in v1", () => {
  test("top-level subjects", () => {
    expectRejected(
      withRich((m) => (m.subjects = {})),
      "/subjects",
      "not supported in v1",
    );
  });
  for (const key of ["jobs", "stream", "streams"]) {
    test(`resources.${key} is reported once, as unsupported`, () => {
      const issues = expectRejected(
        withRich((m) => (m.resources[key] = {})),
        `/resources/${key}`,
        "not supported in v1",
      );
      expect(issues.filter((issue) => issue.path === `/resources/${key}`)).toHaveLength(1);
    });
  }
  test("subjects inside a uses alias, in both groups", () => {
    expectRejected(
      withRich((m) => (m.uses.required.billing.subjects = ["x"])),
      "/uses/required/billing/subjects",
      "not supported in v1",
    );
    expectRejected(
      withRich((m) => (m.uses.optional.audit.subjects = {})),
      "/uses/optional/audit/subjects",
      "not supported in v1",
    );
  });
  test("a stray alias directly under uses is dropped, not refused", () => expectAccepted(workersA3()));
});

describe("§2.3 shapes", () => {
  test("a wrong JSON type names the expected type", () => {
    expectRejected(
      withRich((m) => (m.displayName = 5)),
      "/displayName",
      "expected string, got number",
    );
    expectRejected(
      withRich((m) => (m.rpc["Notes.Get"].input = "NoteGet")),
      "/rpc/Notes.Get/input",
      "expected object, got string",
    );
    expectRejected(
      withRich((m) => (m.jobs.reindex.backoffMs = 5)),
      "/jobs/reindex/backoffMs",
      "expected array, got number",
    );
    expectRejected(
      withRich((m) => (m.jobs.reindex.logs = "yes")),
      "/jobs/reindex/logs",
      "expected boolean, got string",
    );
  });

  test("arrays are not objects (valibot alone would accept them)", () => {
    expectRejected(
      withRich((m) => (m.uses = [])),
      "/uses",
      "expected object, got array",
    );
    expectRejected(
      withRich((m) => (m.rpc = [])),
      "/rpc",
      "expected object, got array",
    );
    expectRejected(
      withRich((m) => (m.rpc["Notes.Get"].capabilities = [])),
      "/rpc/Notes.Get/capabilities",
      "expected object, got array",
    );
  });

  test("missing required members", () => {
    for (const member of ["format", "id", "displayName", "description", "kind"]) {
      expectRejected(
        withRich((m) => delete m[member]),
        `/${member}`,
        "is required",
      );
    }
    expectRejected(
      withRich((m) => delete m.rpc["Notes.Get"].output),
      "/rpc/Notes.Get/output",
      "is required",
    );
    expectRejected(
      withRich((m) => delete m.resources.kv.cache.schema),
      "/resources/kv/cache/schema",
      "is required",
    );
  });

  test("empty required strings", () => {
    const cases: [string, (m: Json) => void][] = [
      ["/rpc/Notes.Get/input/schema", (m) => (m.rpc["Notes.Get"].input.schema = "")],
      ["/uses/required/billing/contract", (m) => (m.uses.required.billing.contract = "")],
      ["/resources/kv/cache/purpose", (m) => (m.resources.kv.cache.purpose = "")],
      ["/resources/store/exports/purpose", (m) => (m.resources.store.exports.purpose = "")],
      ["/capabilities/acme.notes::read/displayName", (m) => (m.capabilities["acme.notes::read"].displayName = "")],
      ["/capabilities/acme.notes::read/description", (m) => (m.capabilities["acme.notes::read"].description = "")],
      ["/displayName", (m) => (m.displayName = "")],
      ["/errors/NoteMissing/type", (m) => (m.errors.NoteMissing.type = "")],
      ["/operations/Notes.Export/transfer/store", (m) => (m.operations["Notes.Export"].transfer.store = "")],
    ];
    for (const [path, change] of cases) expectRejected(withRich(change), path, "must be a non-empty string");
  });

  test("literal and enum mismatches", () => {
    expectRejected(
      withRich((m) => (m.format = "trellis.contract.v2")),
      "/format",
      "must be 'trellis.contract.v1', got 'trellis.contract.v2'",
    );
    expectRejected(
      withRich((m) => (m.kind = "robot")),
      "/kind",
      "must be one of 'service', 'app', 'agent', 'device'",
    );
    expectRejected(
      withRich((m) => (m.state.prefs.kind = "list")),
      "/state/prefs/kind",
      "must be 'value' or 'map'",
    );
    expectRejected(
      withRich((m) => (m.eventConsumers.projector.replay = "old")),
      "/eventConsumers/projector/replay",
      "must be 'new' or 'all'",
    );
    expectRejected(
      withRich((m) => (m.eventConsumers.projector.ordering = "none")),
      "/eventConsumers/projector/ordering",
      "must be 'strict'",
    );
    expectRejected(
      withRich((m) => (m.rpc["Notes.Download"].transfer.direction = "send")),
      "/rpc/Notes.Download/transfer/direction",
      "must be 'receive'",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].transfer.direction = "receive")),
      "/operations/Notes.Export/transfer/direction",
      "must be 'send'",
    );
  });

  test("versions must match ^v[0-9]+$", () => {
    for (const version of ["1", "V1", "v", "v1.0", "v-1", " v1"]) {
      expectRejected(
        withRich((m) => (m.rpc["Notes.Get"].version = version)),
        "/rpc/Notes.Get/version",
        "^v[0-9]+$",
      );
    }
    expectAccepted(withRich((m) => (m.events["Note.Deleted"].version = "v0")));
  });

  test("docs without markdown", () => {
    expectRejected(
      withRich((m) => (m.docs = { summary: "x" })),
      "/docs/markdown",
      "is required",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].signals.pause.docs = {})),
      "/operations/Notes.Export/signals/pause/docs/markdown",
      "is required",
    );
  });

  test("duplicate exports are reported at the repeat", () => {
    expectRejected(
      withRich((m) => m.exports.schemas.push("Public")),
      "/exports/schemas/2",
      "duplicate entry 'Public'",
    );
  });

  test("params and transfer pointers must be JSON Pointers", () => {
    expectRejected(
      withRich((m) => (m.events["Note.Changed"].params[0] = "owner/id")),
      "/events/Note.Changed/params/0",
      "JSON Pointer",
    );
    expectRejected(
      withRich((m) => (m.events["Note.Changed"].params[1] = "/owner~2tier")),
      "/events/Note.Changed/params/1",
      "JSON Pointer",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].transfer.key = "name")),
      "/operations/Notes.Export/transfer/key",
      "JSON Pointer",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].transfer.metadata = "meta")),
      "/operations/Notes.Export/transfer/metadata",
      "must be empty or a JSON Pointer",
    );
  });

  test("integer bounds: ≥ 1, except ttlMs and backoffMs entries (≥ 0)", () => {
    expectRejected(
      withRich((m) => (m.jobs.reindex.maxDeliver = 0)),
      "/jobs/reindex/maxDeliver",
      "must be at least 1, got 0",
    );
    expectRejected(
      withRich((m) => (m.jobs.reindex.concurrency = 2.5)),
      "/jobs/reindex/concurrency",
      "must be an integer",
    );
    expectRejected(
      withRich((m) => (m.resources.kv.cache.history = 0)),
      "/resources/kv/cache/history",
      "at least 1",
    );
    expectRejected(
      withRich((m) => (m.resources.kv.cache.ttlMs = -1)),
      "/resources/kv/cache/ttlMs",
      "must be at least 0, got -1",
    );
    expectRejected(
      withRich((m) => (m.jobs.reindex.backoffMs = [10, -5])),
      "/jobs/reindex/backoffMs/1",
      "at least 0",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].transfer.maxBytes = 0)),
      "/operations/Notes.Export/transfer/maxBytes",
      "at least 1",
    );
    expectRejected(
      withRich((m) => (m.jobs.reindex.ackWaitMs = 2 ** 60)),
      "/jobs/reindex/ackWaitMs",
      "must be an integer",
    );
    expectAccepted(
      withRich((m) => {
        m.resources.kv.cache.ttlMs = 0;
        m.jobs.reindex.backoffMs = [0];
      }),
    );
  });

  test("an empty consumer uses list", () => {
    expectRejected(
      withRich((m) => (m.eventConsumers.projector.uses.partners = [])),
      "/eventConsumers/projector/uses/partners",
      "must name at least one event",
    );
  });

  test("resources keys other than kv and store", () => {
    expectRejected(
      withRich((m) => (m.resources.buckets = {})),
      "/resources/buckets",
      "only 'kv' and 'store' are allowed in resources",
    );
  });

  test("keys that valibot records would skip silently are refused", () => {
    const input = JSON.parse(
      JSON.stringify(rich).replace('"rpc":{"Notes.Get"', '"rpc":{"__proto__":{"version":"v1"},"Notes.Get"'),
    );
    expect(Object.keys(input.rpc)).toContain("__proto__");
    expectRejected(input, "/rpc/__proto__", "reserved");
    expectRejected(
      withRich((m) => (m.jobs.constructor = { payload: { schema: "Job" } })),
      "/jobs/constructor",
      "reserved",
    );
  });

  test("text size limits", () => {
    expectRejected(
      withRich((m) => (m.displayName = "x".repeat(257))),
      "/displayName",
      "at most 256 characters, got 257",
    );
    expectRejected(
      withRich((m) => (m.docs.markdown = "x".repeat(65537))),
      "/docs/markdown",
      "at most 65536",
    );
    expectAccepted(
      withRich((m) => {
        m.displayName = "x".repeat(256);
        m.description = "y".repeat(4096);
      }),
    );
  });

  test("every shape problem is reported, not only the first", () => {
    const issues = issuesOf(
      withRich((m) => {
        m.kind = "robot";
        m.rpc["Notes.Get"].version = "1";
        m.jobs.reindex.maxDeliver = 0;
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(["/jobs/reindex/maxDeliver", "/kind", "/rpc/Notes.Get/version"]);
  });
});

describe("§2.4 contract ids", () => {
  for (const id of [
    "billing",
    "billing@1",
    "@v1",
    "billing@v",
    "billing@vx",
    "billing@v01",
    "bil ling@v1",
    "billing@v1@v2",
    "a..b@v1",
    ".a@v1",
    `${"a".repeat(130)}@v1`,
  ]) {
    test(`'${id.length > 40 ? `${id.slice(0, 20)}...` : id}' is rejected`, () => {
      expectRejected(
        withRich((m) => (m.id = id)),
        "/id",
        "invalid contract id",
      );
    });
  }
  test("well-formed ids are accepted, for the manifest and in uses", () => {
    expectAccepted(
      withRich((m) => {
        m.id = "acme.notes@v0";
        m.capabilities = {};
        m.uses.required.billing.contract = "a.b-c_d@v10";
      }),
    );
  });
  test("a Use.contract must be an id too", () => {
    expectRejected(
      withRich((m) => (m.uses.optional.audit.contract = "audit")),
      "/uses/optional/audit/contract",
      "invalid contract id 'audit'",
    );
  });
});

describe("§2.5 embedded schemas", () => {
  test("a schema that is not an object or boolean", () => {
    for (const schema of [1, "object", null, []]) {
      expectRejected(
        withRich((m) => (m.schemas.Query = schema)),
        "/schemas/Query",
        "must be a JSON Schema (an object or a boolean)",
      );
    }
    expectAccepted(withRich((m) => (m.schemas.Query = false)));
  });

  test("$ref at any depth", () => {
    expectRejected(
      withRich((m) => (m.schemas.Query.$ref = "#/x")),
      "/schemas/Query/$ref",
      "$ref is not supported in embedded schemas",
    );
    expectRejected(
      withRich((m) => (m.schemas.Note.properties.owner.properties.id = { anyOf: [{ type: "string" }, { $ref: "#" }] })),
      "/schemas/Note/properties/owner/properties/id/anyOf/1/$ref",
      "$ref is not supported",
    );
    expectRejected(
      withRich((m) => (m.schemas.Query.examples = [{ $ref: 1 }])),
      "/schemas/Query/examples/0/$ref",
      "$ref",
    );
  });

  test("type names only JSON Schema's seven types", () => {
    expectRejected(
      withRich((m) => (m.schemas.Query.type = "map")),
      "/schemas/Query/type",
      "type must name",
    );
    expectRejected(
      withRich((m) => (m.schemas.Note.properties.tags.items = { type: ["string", "date"] })),
      "/schemas/Note/properties/tags/items/type",
      "type must name",
    );
    expectRejected(
      withRich((m) => (m.schemas.Query.type = [])),
      "/schemas/Query/type",
      "non-empty",
    );
    expectRejected(
      withRich((m) => (m.schemas.Query.type = ["string", "string"])),
      "/schemas/Query/type",
      "distinct",
    );
    expectAccepted(
      withRich(
        (m) => (m.schemas.Query = { type: ["string", "null", "integer", "number", "boolean", "array", "object"] }),
      ),
    );
  });

  test("`type` is checked only where it is a keyword: a property named type is fine", () => {
    expectAccepted(
      withRich(
        (m) =>
          (m.schemas.Query = {
            type: "object",
            properties: { type: { type: "string" } },
            default: { type: "anything" },
          }),
      ),
    );
  });

  test("subschema positions must hold schemas", () => {
    expectRejected(
      withRich((m) => (m.schemas.Query.properties = { a: 5 })),
      "/schemas/Query/properties/a",
      "must be a JSON Schema",
    );
    expectRejected(
      withRich((m) => (m.schemas.Query.anyOf = { type: "string" })),
      "/schemas/Query/anyOf",
      "must be an array of JSON Schemas",
    );
  });

  test(`nesting deeper than ${MAX_SCHEMA_DEPTH} levels`, () => {
    const deep = (levels: number) => {
      let schema: Json = { type: "string" };
      for (let i = 0; i < levels; i++) schema = { not: schema };
      return schema;
    };
    expectAccepted(withRich((m) => (m.schemas.Query = deep(MAX_SCHEMA_DEPTH - 1))));
    const issues = issuesOf(withRich((m) => (m.schemas.Query = deep(MAX_SCHEMA_DEPTH + 10))));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(`/schemas/Query${"/not".repeat(MAX_SCHEMA_DEPTH)}`);
    expect(issues[0]!.message).toContain("deeper than");
  });
});

describe("§2.6 dangling refs and exports", () => {
  const positions: [string, (m: Json) => void][] = [
    ["/exports/schemas/1", (m) => (m.exports.schemas[1] = "Gone")],
    ["/state/prefs/schema/schema", (m) => (m.state.prefs.schema.schema = "Gone")],
    [
      "/state/prefs/acceptedVersions/prefs.v1/schema",
      (m) => (m.state.prefs.acceptedVersions["prefs.v1"].schema = "Gone"),
    ],
    ["/resources/kv/cache/schema/schema", (m) => (m.resources.kv.cache.schema.schema = "Gone")],
    ["/rpc/Notes.Get/input/schema", (m) => (m.rpc["Notes.Get"].input.schema = "Gone")],
    ["/rpc/Notes.Get/output/schema", (m) => (m.rpc["Notes.Get"].output.schema = "Gone")],
    ["/operations/Notes.Export/input/schema", (m) => (m.operations["Notes.Export"].input.schema = "Gone")],
    ["/operations/Notes.Export/progress/schema", (m) => (m.operations["Notes.Export"].progress.schema = "Gone")],
    ["/operations/Notes.Export/output/schema", (m) => (m.operations["Notes.Export"].output.schema = "Gone")],
    [
      "/operations/Notes.Export/signals/pause/input/schema",
      (m) => (m.operations["Notes.Export"].signals.pause.input.schema = "Gone"),
    ],
    ["/events/Note.Deleted/event/schema", (m) => (m.events["Note.Deleted"].event.schema = "Gone")],
    ["/feeds/Notes.Watch/input/schema", (m) => (m.feeds["Notes.Watch"].input.schema = "Gone")],
    ["/feeds/Notes.Watch/event/schema", (m) => (m.feeds["Notes.Watch"].event.schema = "Gone")],
    ["/errors/NoteMissing/schema/schema", (m) => (m.errors.NoteMissing.schema.schema = "Gone")],
    ["/jobs/reindex/payload/schema", (m) => (m.jobs.reindex.payload.schema = "Gone")],
    ["/jobs/reindex/result/schema", (m) => (m.jobs.reindex.result.schema = "Gone")],
  ];
  for (const [path, change] of positions) {
    test(path, () => {
      expectRejected(withRich(change), path, "references unknown schema 'Gone'");
    });
  }
  test("refs resolve by exact key (no case folding)", () => {
    expectRejected(
      withRich((m) => (m.rpc["Notes.Get"].input.schema = "noteget")),
      "/rpc/Notes.Get/input/schema",
      "unknown schema 'noteget'",
    );
  });
  test("rpc errors name a declared type or a built-in", () => {
    expectRejected(
      withRich((m) => m.rpc["Notes.Get"].errors.push({ type: "NoSuchError" })),
      "/rpc/Notes.Get/errors/2/type",
      "unknown error type 'NoSuchError'",
    );
    expectAccepted(
      withRich((m) => m.rpc["Notes.Get"].errors.push({ type: "UnexpectedError" }, { type: "UnusedError" })),
    );
  });
});

describe("§2.7 event subjects, params and the pointer check", () => {
  const subject = (value: string, params?: string[]) =>
    withRich((m) => {
      m.events["Note.Changed"].subject = value;
      if (params === undefined) delete m.events["Note.Changed"].params;
      else m.events["Note.Changed"].params = params;
    });
  const at = "/events/Note.Changed/subject";

  test("unbalanced and nested braces", () => {
    expectRejected(subject("events.v1.Note.{/owner/id", ["/owner/id"]), at, "unbalanced '{'");
    expectRejected(subject("events.v1.Note./owner/id}", []), at, "unbalanced '}'");
    expectRejected(subject("events.v1.Note.{{/owner/id}}", ["/owner/id"]), at, "nested braces");
  });

  test("a template must be a whole token holding a JSON Pointer", () => {
    expectRejected(subject("events.v1.Note.x{/owner/id}", ["/owner/id"]), at, "must fill a whole token");
    // `params` cannot mirror a non-pointer template (it is a shape error there), so it is left empty.
    expectRejected(subject("events.v1.Note.{owner}", []), at, "must hold a JSON Pointer");
    expectRejected(subject("events.v1.Note.{/owner~2id}", []), at, "must hold a JSON Pointer");
    expectRejected(subject("events.v1.Note.{/owner id}", []), at, "no whitespace");
    expectRejected(subject("events.v1.Note.{/owner.id}", ["/owner.id"]), at, "must not contain '.'");
  });

  test("params (absent = []) must equal the template pointers in order", () => {
    const params = "/events/Note.Changed/params";
    expectRejected(subject("events.v1.Note.{/owner/id}"), params, 'in order: ["/owner/id"]');
    expectRejected(
      subject("events.v1.Note.{/owner/id}.{/owner/tier}", ["/owner/tier", "/owner/id"]),
      params,
      "in order",
    );
    expectRejected(subject("events.v1.Note.Changed", ["/owner/id"]), params, "the subject has no templates");
    expectAccepted(subject("events.v1.Note.Changed"));
    expectAccepted(subject("events.v1.Note.Changed", []));
  });

  test("pointers that fail the check", () => {
    const first = "/events/Note.Changed/params/0";
    expectRejected(subject("events.v1.Note.{/owner}", ["/owner"]), first, "must resolve to a string or number schema");
    expectRejected(subject("events.v1.Note.{/nobody}", ["/nobody"]), first, "does not resolve");
    expectRejected(subject("events.v1.Note.{/tags/0}", ["/tags/0"]), first, "does not resolve"); // arrays are never traversed
    expectAccepted(subject("events.v1.Note.{/owner/tier}.{/text}", ["/owner/tier", "/text"])); // enum of strings, type string
  });

  test("A2: a pointer through anyOf with string and integer variants is tokenable", () => expectAccepted(partnersA2()));
});

describe("§2.8 event consumers", () => {
  const group = "/eventConsumers/projector";
  test("a group with no event", () => {
    expectRejected(
      withRich((m) => {
        delete m.eventConsumers.projector.uses;
        m.eventConsumers.projector.self = [];
      }),
      group,
      "at least one event",
    );
  });
  test("strict ordering (explicit or default) needs concurrency 1", () => {
    expectRejected(
      withRich((m) => (m.eventConsumers.projector.concurrency = 2)),
      `${group}/concurrency`,
      "must be 1 with strict ordering",
    );
    expectRejected(
      withRich((m) => {
        delete m.eventConsumers.projector.ordering;
        m.eventConsumers.projector.concurrency = 4;
      }),
      `${group}/concurrency`,
      "got 4",
    );
  });
  test("an alias absent from uses.required and uses.optional", () => {
    expectRejected(
      withRich((m) => (m.eventConsumers.projector.uses.ghost = ["Ghost.Event"])),
      `${group}/uses/ghost`,
      "not declared",
    );
  });
  test("an event the alias does not subscribe to", () => {
    expectRejected(
      withRich((m) => m.eventConsumers.projector.uses.partners.push("Partner.Gone")),
      `${group}/uses/partners/3`,
      "does not subscribe to event 'Partner.Gone'",
    );
    // audit only publishes Audit.Record.
    expectRejected(
      withRich((m) => (m.eventConsumers.projector.uses.audit = ["Audit.Record"])),
      `${group}/uses/audit/0`,
      "does not subscribe",
    );
  });
  test("an optional alias that subscribes is fine", () => {
    expectAccepted(
      withRich((m) => {
        m.uses.optional.audit.events.subscribe = ["Audit.Record"];
        m.eventConsumers.projector.uses.audit = ["Audit.Record"];
      }),
    );
  });
  test("a self name absent from events", () => {
    expectRejected(
      withRich((m) => m.eventConsumers.projector.self.push("Note.Gone")),
      `${group}/self/2`,
      "unknown own event 'Note.Gone'",
    );
  });
});

describe("§2.9 capability keys", () => {
  test("list entries other than admin, service or <ns>::<local>", () => {
    for (const entry of ["read", "acme.notes:read", "::read", "acme.notes::", "admin ", "Admin", "a b::c"]) {
      expectRejected(
        withRich((m) => (m.rpc["Notes.Get"].capabilities.call = [entry])),
        "/rpc/Notes.Get/capabilities/call/0",
        "invalid capability",
      );
    }
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].capabilities.control = ["nope"])),
      "/operations/Notes.Export/capabilities/control/0",
    );
    expectRejected(
      withRich((m) => (m.events["Note.Changed"].capabilities.publish = ["nope"])),
      "/events/Note.Changed/capabilities/publish/0",
    );
    expectRejected(
      withRich((m) => (m.feeds["Notes.Watch"].capabilities.subscribe = ["nope"])),
      "/feeds/Notes.Watch/capabilities/subscribe/0",
    );
  });
  test("lists may name platform capabilities and other contracts' keys", () => {
    expectAccepted(
      withRich(
        (m) =>
          (m.rpc["Notes.Get"].capabilities.call = ["admin", "service", "partners::read", "trellis.jobs::admin.read"]),
      ),
    );
  });
  test("top-level keys must be in NS(id)", () => {
    expectRejected(
      withRich((m) => (m.capabilities["partners::read"] = { displayName: "R", description: "R" })),
      "/capabilities/partners::read",
      "must be 'acme.notes::<name>'",
    );
    expectRejected(
      withRich((m) => (m.capabilities.read = { displayName: "R", description: "R" })),
      "/capabilities/read",
      "acme.notes::<name>",
    );
    expectRejected(
      withRich((m) => (m.capabilities["acme::read"] = { displayName: "R", description: "R" })),
      "/capabilities/acme::read",
    );
  });
});

describe("§2.10 operation transfer", () => {
  const transfer = "/operations/Notes.Export/transfer";
  test("store must be a store alias", () => {
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].transfer.store = "cache")),
      `${transfer}/store`,
      "unknown store 'cache'",
    );
  });
  test("pointers must resolve in the input schema", () => {
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].transfer.key = "/missing")),
      `${transfer}/key`,
      "does not resolve",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].transfer.key = "/meta")),
      `${transfer}/key`,
      "string or number",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].transfer.contentType = "/nope")),
      `${transfer}/contentType`,
      "does not resolve",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].transfer.metadata = "/nope")),
      `${transfer}/metadata`,
      "does not resolve",
    );
  });
  test("empty contentType and metadata are allowed (normalization drops them)", () => {
    expectAccepted(
      withRich((m) => {
        m.operations["Notes.Export"].transfer.contentType = "";
        m.operations["Notes.Export"].transfer.metadata = "";
      }),
    );
  });
});

describe("§2.11 overlapping subjects", () => {
  test("two surfaces with the same subject", () => {
    expectRejected(
      withRich((m) => (m.rpc["Notes.Download"].subject = "rpc.v1.Notes.Get")),
      "/rpc/Notes.Download/subject",
      "already used by rpc 'Notes.Get'",
    );
  });
  test("wildcard forms that overlap", () => {
    expectRejected(
      withRich((m) => (m.events["Note.Deleted"].subject = "events.v1.Note.Changed.alice.pro")),
      "/events/Note.Deleted/subject",
      "overlaps 'events.v1.Note.Changed.*.*' (event 'Note.Changed')",
    );
    expectRejected(
      withRich((m) => {
        m.events["Note.Deleted"].subject = "events.v1.Note.Changed.{/noteId}.pro";
        m.events["Note.Deleted"].params = ["/noteId"];
      }),
      "/events/Note.Deleted/subject",
      "overlaps",
    );
  });
  test("an operation's control subject counts", () => {
    expectRejected(
      withRich(
        (m) =>
          (m.operations["Notes.Other"] = {
            ...structuredClone(m.operations["Notes.Export"]),
            subject: "operations.v1.Notes.Export.control",
          }),
      ),
      "/operations/Notes.Other/subject",
      "already used by the control subject of operation 'Notes.Export'",
    );
  });
  test("each overlapping subject is reported once, naming the first it overlaps (not every pair)", () => {
    const issues = issuesOf(
      withRich((m) => {
        for (let i = 0; i < 50; i++) m.rpc[`Same.S${i}`] = { ...m.rpc["Notes.Get"], subject: "rpc.v1.Same" };
      }),
    );
    expect(issues).toHaveLength(49);
    expect(issues.every((issue) => issue.message.endsWith("is already used by rpc 'Same.S0'"))).toBe(true);
  });

  test(`more than ${MAX_SURFACES} surfaces are refused`, () => {
    const many = (count: number) =>
      withRich((m) => {
        for (let i = 0; i < count; i++)
          m.feeds[`Many.F${i}`] = { ...m.feeds["Notes.Watch"], subject: `feeds.v1.Many.F${i}` };
      });
    expectRejected(many(MAX_SURFACES), "", `at most ${MAX_SURFACES}`);
    expectAccepted(many(MAX_SURFACES - 6)); // rich has 6 surfaces
  });

  test("different token counts do not overlap", () => {
    expectAccepted(withRich((m) => (m.events["Note.Deleted"].subject = "events.v1.Note.Changed.alice")));
  });
});

describe("subject well-formedness (§8 decision)", () => {
  const rpcSubject = (value: string) => withRich((m) => (m.rpc["Notes.Get"].subject = value));
  const at = "/rpc/Notes.Get/subject";
  for (const [value, message] of [
    ["notes.v1.Get", "must start with 'rpc.'"],
    ["rpc", "must start with 'rpc.'"],
    ["$JS.API.INFO", "must start with 'rpc.'"],
    ["_INBOX.x", "must start with 'rpc.'"],
    ["rpc..Get", "empty tokens"],
    ["rpc.v1.Notes.", "empty tokens"],
    ["rpc.v1.*", "'*'"],
    ["rpc.v1.>", "'>'"],
    ["rpc.v1.No tes", "may contain only"],
    ["rpc.v1.{/id}", "allowed only in event subjects"],
    [`rpc.${"a".repeat(600)}`, "at most 512"],
  ] as const) {
    test(`'${value.length > 40 ? `${value.slice(0, 20)}...` : value}'`, () => {
      expectRejected(rpcSubject(value), at, message);
    });
  }
  test("each kind has its own root", () => {
    expectRejected(
      withRich((m) => (m.feeds["Notes.Watch"].subject = "rpc.v1.Notes.Watch")),
      "/feeds/Notes.Watch/subject",
      "must start with 'feeds.'",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].subject = "rpc.v1.Notes.Export")),
      "/operations/Notes.Export/subject",
      "'operations.'",
    );
    expectRejected(
      withRich((m) => (m.events["Note.Deleted"].subject = "event.v1.Note.Deleted")),
      "/events/Note.Deleted/subject",
      "'events.'",
    );
  });
});

describe("names (§8 decision)", () => {
  test("simple names: aliases, jobs, groups, stores, resources, signals", () => {
    expectRejected(
      withRich((m) => (m.jobs["re.index"] = m.jobs.reindex)),
      "/jobs/re.index",
      "invalid job queue name",
    );
    expectRejected(
      withRich((m) => (m.uses.required["bill ing"] = m.uses.required.billing)),
      "/uses/required/bill ing",
      "invalid alias",
    );
    expectRejected(
      withRich((m) => (m.resources.kv["a/b"] = m.resources.kv.cache)),
      "/resources/kv/a~1b",
      "invalid kv alias 'a/b'",
    );
    expectRejected(
      withRich((m) => (m.operations["Notes.Export"].signals["go.now"] = { input: { schema: "Signal" } })),
      "/operations/Notes.Export/signals/go.now",
    );
  });
  test("dotted names: surfaces, schemas, errors, state versions", () => {
    expectRejected(
      withRich((m) => (m.rpc["Notes..Get"] = m.rpc["Notes.Get"])),
      "/rpc/Notes..Get",
      "invalid rpc name",
    );
    expectRejected(
      withRich((m) => (m.schemas["Bad Name"] = true)),
      "/schemas/Bad Name",
      "invalid schema name",
    );
    expectRejected(
      withRich((m) => (m.state.prefs.stateVersion = "v 2")),
      "/state/prefs/stateVersion",
      "invalid state version",
    );
    expectRejected(
      withRich((m) => (m.errors.NoteMissing.type = "Note Missing")),
      "/errors/NoteMissing/type",
      "invalid error type",
    );
    expectAccepted(withRich((m) => (m.schemas["Nested.Name_1-x"] = true)));
  });
  test("names are at most 128 characters", () => {
    expectRejected(
      withRich((m) => (m.jobs["j".repeat(129)] = m.jobs.reindex)),
      `/jobs/${"j".repeat(129)}`,
      "at most 128",
    );
    expectAccepted(withRich((m) => (m.jobs["j".repeat(128)] = m.jobs.reindex)));
  });
});

describe("issues", () => {
  test("shape problems and whole-manifest problems are reported together", () => {
    const issues = issuesOf(
      withRich((m) => {
        m.kind = "servce";
        m.rpc["Notes.Get"].version = "1";
        m.rpc["Notes.Get"].output.schema = "Missing";
        m.events["Note.Deleted"].subject = "events.v1.Note.{/id";
        m.jobs.reindex.maxDeliver = 0;
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      "/events/Note.Deleted/subject",
      "/jobs/reindex/maxDeliver",
      "/kind",
      "/rpc/Notes.Get/output/schema",
      "/rpc/Notes.Get/version",
    ]);
  });

  test("a rule finding already explained by a shape issue at or below its path is not repeated", () => {
    expect(issuesOf(withRich((m) => (m.rpc["Notes.Get"].input.schema = "")))).toEqual([
      { path: "/rpc/Notes.Get/input/schema", message: "must be a non-empty string" },
    ]);
    expect(issuesOf(withRich((m) => (m.eventConsumers.projector.concurrency = 0)))).toEqual([
      { path: "/eventConsumers/projector/concurrency", message: "must be at least 1, got 0" },
    ]);
    // The schema exists (with a wrong type), so refs to it are not dangling.
    expect(issuesOf(withRich((m) => (m.schemas.NoteGet = 5))).map((issue) => issue.path)).toEqual(["/schemas/NoteGet"]);
    // A broken event entry still counts as declared for consumers.
    expect(issuesOf(withRich((m) => (m.events["Note.Deleted"] = []))).map((issue) => issue.path)).toEqual([
      "/events/Note.Deleted",
    ]);
  });

  test("are sorted by path and deterministic", () => {
    const broken = withRich((m) => {
      m.rpc["Notes.Get"].input.schema = "Gone";
      m.events["Note.Deleted"].event.schema = "Gone";
      m.capabilities.read = { displayName: "R", description: "R" };
      m.eventConsumers.projector.self.push("Nope");
    });
    const first = issuesOf(broken);
    expect(first.map((issue) => issue.path)).toEqual([
      "/capabilities/read",
      "/eventConsumers/projector/self/2",
      "/events/Note.Deleted/event/schema",
      "/rpc/Notes.Get/input/schema",
    ]);
    expect(issuesOf(structuredClone(broken))).toEqual(first);
  });

  test("the error is a ValidationError naming the first issue", () => {
    const result = parseManifest(withRich((m) => (m.kind = 3)));
    expect(result.isErr() && result.error.type).toBe("ValidationError");
    expect(result.isErr() && result.error.message).toBe(
      "Validation failed: /kind: must be one of 'service', 'app', 'agent', 'device', got number",
    );
  });
});

describe("hostile inputs never throw", () => {
  test("10,000 levels of nesting in an unknown member and in a schema", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = { a: [deep] };
    const started = performance.now();
    expectAccepted(withRich((m) => (m.extra = deep)));
    expectRejected(
      withRich((m) => (m.schemas.Query = deep)),
      `/schemas/Query${"/a/0".repeat(MAX_SCHEMA_DEPTH / 2)}`,
      "deeper than",
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("megabyte strings", () => {
    const huge = "x".repeat(2_000_000);
    const started = performance.now();
    expectRejected(
      withRich((m) => (m.description = huge)),
      "/description",
      "at most 4096",
    );
    expectRejected(
      withRich((m) => (m.rpc["Notes.Get"].subject = `rpc.${huge}`)),
      "/rpc/Notes.Get/subject",
      "at most 512",
    );
    expectRejected(
      withRich((m) => (m.rpc[huge] = m.rpc["Notes.Get"])),
      `/rpc/${huge}`,
      "at most 128",
    );
    expectAccepted(withRich((m) => (m.schemas.Query.description = huge)));
    const issue = issuesOf(withRich((m) => (m.description = huge)))[0]!;
    expect(issue.message.length).toBeLessThan(200);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("values JSON cannot hold", () => {
    for (const value of [() => 1, Symbol("s"), new Map(), new Uint8Array(2), undefined]) {
      expect(() => parseManifest({ ...rich, odd: value })).not.toThrow();
      expect(parseManifest({ ...rich, odd: value }).isErr()).toBe(true);
    }
    expectRejected({ ...rich, odd: () => 1 }, "/odd", "function has no JSON form");
  });

  test("throwing getters and proxies", () => {
    const getter = { ...rich };
    Object.defineProperty(getter, "boom", {
      enumerable: true,
      get: () => {
        throw new Error("no");
      },
    });
    expectRejected(getter, "", "reading it threw (no)");
    const proxy = new Proxy(rich, {
      ownKeys: () => {
        throw new Error("trap");
      },
    });
    expectRejected(proxy, "", "reading it threw (trap)");
  });
});
