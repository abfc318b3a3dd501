import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { defineAppContract, defineServiceContract } from "../../src/contracts/index.ts";
import { definitionIssues, issueAt } from "./fixtures/authoring/expect-definition-error.ts";

const base = { displayName: "Partners", description: "Partner records." } as const;
const Changed = v.object({ partner: v.object({ origin: v.string(), id: v.union([v.string(), v.number()]) }) });
const schemas = { In: v.object({ key: v.string() }), Out: v.object({}), Changed, Entry: v.object({ n: v.number() }) };

describe("§1 default subjects", () => {
  const m = defineServiceContract({ schemas }, (ref) => ({
    id: "partners@v1",
    ...base,
    rpc: { "Partner.Get": { version: "v2", input: ref.schema("In"), output: ref.schema("Out") } },
    operations: { "Partner.Import": { version: "v1", input: ref.schema("In"), output: ref.schema("Out") } },
    feeds: { "Partner.Watch": { version: "v3", input: ref.schema("In"), event: ref.schema("Out") } },
    events: {
      "Partner.Changed": { version: "v1", params: ["/partner/id"], event: ref.schema("Changed") },
      "Partner.Moved": { version: "v1", params: ["/partner/origin", "/partner/id"], event: ref.schema("Changed") },
      "Partner.Ping": { version: "v2", params: [], event: ref.schema("Out") },
      "Partner.Custom": { version: "v1", subject: "events.v1.custom.{/partner/origin}", event: ref.schema("Changed") },
    },
  }));

  test("rpc, operations and feeds: <section>.<version>.<Name>", () => {
    expect(m.CONTRACT.rpc?.["Partner.Get"]?.subject).toBe("rpc.v2.Partner.Get");
    expect(m.CONTRACT.operations?.["Partner.Import"]?.subject).toBe("operations.v1.Partner.Import");
    expect(m.CONTRACT.feeds?.["Partner.Watch"]?.subject).toBe("feeds.v3.Partner.Watch");
    expect(m.API.owned.operations["Partner.Import"].controlSubject).toBe("operations.v1.Partner.Import.control");
  });

  test("events: one .{<p>} token per param, params written only when non-empty", () => {
    expect(m.CONTRACT.events?.["Partner.Changed"]).toEqual({
      version: "v1",
      subject: "events.v1.Partner.Changed.{/partner/id}",
      params: ["/partner/id"],
      event: { schema: "Changed" },
    });
    expect(m.CONTRACT.events?.["Partner.Moved"]?.subject).toBe(
      "events.v1.Partner.Moved.{/partner/origin}.{/partner/id}",
    );
    expect(m.CONTRACT.events?.["Partner.Ping"]).toEqual({
      version: "v2",
      subject: "events.v2.Partner.Ping",
      event: { schema: "Out" },
    });
  });

  test("an explicit subject is kept verbatim and its tokens become params", () => {
    expect(m.CONTRACT.events?.["Partner.Custom"]).toMatchObject({
      subject: "events.v1.custom.{/partner/origin}",
      params: ["/partner/origin"],
    });
    expect(m.API.owned.events["Partner.Custom"].params).toEqual(["/partner/origin"]);
  });

  test("params that are not JSON Pointers are rejected by validation", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas }, (ref) => ({
        id: "partners@v1",
        ...base,
        events: { "Partner.Changed": { version: "v1", params: ["partner"], event: ref.schema("Changed") } },
      })),
    );
    expect(issues.find((issue) => issue.path === "/events/Partner.Changed/params/0")?.message).toContain(
      "JSON Pointer",
    );
  });
});

describe("whole-manifest validation of the emitted JSON", () => {
  test("an event param that does not resolve in the event schema is rejected", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas }, (ref) => ({
        id: "partners@v1",
        ...base,
        events: { "Partner.Changed": { version: "v1", params: ["/partner/missing"], event: ref.schema("Changed") } },
      })),
    );
    expect(issueAt(issues, "/events/Partner.Changed/params/0").message).toContain("does not resolve");
  });

  test("overlapping subjects are rejected", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas }, (ref) => ({
        id: "partners@v1",
        ...base,
        rpc: {
          "Partner.Get": { version: "v1", input: ref.schema("In"), output: ref.schema("Out") },
          Other: { version: "v1", subject: "rpc.v1.Partner.Get", input: ref.schema("In"), output: ref.schema("Out") },
        },
      })),
    );
    expect(issueAt(issues, "/rpc/Other/subject").message).toContain("already used by rpc 'Partner.Get'");
  });

  test("a transfer key that does not resolve in the operation input is rejected", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas }, (ref) => ({
        id: "partners@v1",
        ...base,
        resources: { store: { uploads: { purpose: "Uploads" } } },
        operations: {
          "Partner.Upload": {
            version: "v1",
            input: ref.schema("In"),
            output: ref.schema("Out"),
            transfer: { direction: "send", store: "uploads", key: "/nope" },
          },
        },
      })),
    );
    expect(issueAt(issues, "/operations/Partner.Upload/transfer/key").message).toContain("does not resolve");
  });

  test("CONTRACT is normalized: consumer-group defaults are written", () => {
    const m = defineServiceContract({ schemas }, (ref) => ({
      id: "partners@v1",
      ...base,
      events: { "Partner.Ping": { version: "v1", event: ref.schema("Out") } },
      eventConsumers: { projector: { self: ["Partner.Ping"] } },
    }));
    expect(m.CONTRACT.eventConsumers?.projector).toEqual({
      self: ["Partner.Ping"],
      replay: "new",
      ordering: "strict",
      concurrency: 1,
    });
  });
});

describe("§7.3 resources", () => {
  test("kv and store get the runtime defaults written when omitted; explicit values stay", () => {
    const m = defineServiceContract({ schemas }, (ref) => ({
      id: "partners@v1",
      ...base,
      resources: {
        kv: {
          cache: { purpose: "Cache", schema: ref.schema("Entry") },
          log: {
            purpose: "Log",
            schema: ref.schema("Entry"),
            required: false,
            history: 5,
            ttlMs: 1000,
            maxValueBytes: 64,
          },
        },
        store: { uploads: { purpose: "Uploads" }, tmp: { purpose: "Temp", required: false, ttlMs: 60000 } },
      },
    }));
    expect(m.CONTRACT.resources).toEqual({
      kv: {
        cache: { purpose: "Cache", schema: { schema: "Entry" }, required: true, history: 1, ttlMs: 0 },
        log: {
          purpose: "Log",
          schema: { schema: "Entry" },
          required: false,
          history: 5,
          ttlMs: 1000,
          maxValueBytes: 64,
        },
      },
      store: {
        uploads: { purpose: "Uploads", required: true, ttlMs: 0 },
        tmp: { purpose: "Temp", required: false, ttlMs: 60000 },
      },
    });
  });

  test("resources other than kv/store are rejected", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({}, () => ({ id: "partners@v1", ...base, resources: { jobs: {} } as never })),
    );
    expect(issueAt(issues, "/resources/jobs").message).toContain("unknown member");
  });
});

describe("other sections", () => {
  test("state, jobs, eventConsumers and exports are emitted with refs and SU lists", () => {
    const m = defineServiceContract({ schemas }, (ref) => ({
      id: "partners@v1",
      ...base,
      exports: { schemas: ["Out", "In", "Out"] },
      state: {
        prefs: { kind: "value", schema: ref.schema("Entry"), acceptedVersions: { "prefs.v0": ref.schema("Out") } },
      },
      events: {
        "Partner.Ping": { version: "v1", event: ref.schema("Out") },
        "Partner.Pong": { version: "v1", event: ref.schema("Out") },
      },
      jobs: {
        reindex: { payload: ref.schema("In"), result: ref.schema("Out"), backoffMs: [30000, 5000], concurrency: 2 },
      },
      eventConsumers: { projector: { self: ["Partner.Pong", "Partner.Ping", "Partner.Pong"], replay: "all" } },
    }));
    expect(m.CONTRACT.exports).toEqual({ schemas: ["In", "Out"] });
    expect(m.CONTRACT.state).toEqual({
      prefs: { kind: "value", schema: { schema: "Entry" }, acceptedVersions: { "prefs.v0": { schema: "Out" } } },
    });
    expect(m.CONTRACT.jobs).toEqual({
      reindex: { payload: { schema: "In" }, result: { schema: "Out" }, backoffMs: [30000, 5000], concurrency: 2 },
    });
    // ordering and concurrency are the consumer-group defaults normalization writes (§3.2).
    expect(m.CONTRACT.eventConsumers?.projector).toMatchObject({
      self: ["Partner.Ping", "Partner.Pong"],
      replay: "all",
    });
  });

  test("unknown schema refs are rejected at the ref", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas }, (ref) => ({
        id: "partners@v1",
        ...base,
        rpc: {
          "Partner.Get": { version: "v1", input: ref.schema("Nope" as "In"), output: { schema: "Gone" } as never },
        },
      })),
    );
    expect(issueAt(issues, "/rpc/Partner.Get/input/schema").message).toContain("unknown schema 'Nope'");
    expect(issueAt(issues, "/rpc/Partner.Get/output/schema").message).toContain("unknown schema 'Gone'");
  });

  test("misplaced and unknown body members are reported, all in one error", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas }, (ref) => ({
        id: "partners@v1",
        ...base,
        ...({ kind: "app", schemas: {}, subjects: {} } as {}),
        rpc: {
          "Partner.Get": {
            version: "v1",
            input: ref.schema("In"),
            output: ref.schema("Out"),
            ...({ capabilites: {} } as {}),
          },
        },
      })),
    );
    expect(issueAt(issues, "/kind").message).toContain("comes from the helper");
    expect(issueAt(issues, "/schemas").message).toContain("first argument");
    expect(issueAt(issues, "/subjects").message).toContain("unknown member");
    expect(issueAt(issues, "/rpc/Partner.Get/capabilites").message).toContain("unknown member");
  });

  test("client contracts cannot own surfaces", () => {
    const issues = definitionIssues(() => defineAppContract(() => ({ id: "web@v1", ...base, ...({ rpc: {} } as {}) })));
    expect(issueAt(issues, "/rpc").message).toContain("only services");
  });

  test("manifest validation issues of the emitted JSON are reported with their paths", () => {
    const issues = definitionIssues(() =>
      defineServiceContract({ schemas }, (ref) => ({
        id: "partners@v1",
        ...base,
        rpc: { "Partner.Get": { version: "1" as "v1", input: ref.schema("In"), output: ref.schema("Out") } },
      })),
    );
    expect(issues.some((issue) => issue.path === "/rpc/Partner.Get/version")).toBe(true);
  });

  test("the error message names the contract and every path", () => {
    expect(() =>
      defineServiceContract({}, () => ({
        id: "partners@v1",
        ...base,
        capabilities: { "partners.read": { displayName: "R", description: "R." } },
      })),
    ).toThrow(/Invalid contract 'partners@v1':\n {2}\/capabilities\/partners\.read: /);
  });
});
