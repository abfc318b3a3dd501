import appendixA from "../../conformance/contract-digest/appendix-a.json";
import conformance from "../../conformance/contract-digest/vectors.json";

/**
 * Manifests for the validation, normalization and digest tests: the
 * conformance input, the three Appendix A inputs of contracts.md, and a rich
 * manifest that uses every section of §1. Each call returns a fresh copy, so
 * tests may mutate what they get.
 */
export type DigestVector = { name: string; input: Record<string, unknown>; digest: string };

const fresh = <T>(value: T): T => structuredClone(value);

export const CONFORMANCE_VECTORS: readonly DigestVector[] = conformance as DigestVector[];
export const APPENDIX_A_VECTORS: readonly DigestVector[] = appendixA as DigestVector[];

export const conformanceInput = () => fresh(CONFORMANCE_VECTORS[0]!.input);
export const billingA1 = () => fresh(APPENDIX_A_VECTORS[0]!.input);
export const partnersA2 = () => fresh(APPENDIX_A_VECTORS[1]!.input);
export const workersA3 = () => fresh(APPENDIX_A_VECTORS[2]!.input);

/** A service using every member of §1 (all valid). */
export const richManifest = (): Record<string, unknown> =>
  fresh({
    format: "trellis.contract.v1",
    id: "acme.notes@v2",
    displayName: "Notes",
    description: "Stores notes.",
    docs: { summary: "Notes service", markdown: "# Notes" },
    kind: "service",
    capabilities: {
      "acme.notes::read": { displayName: "Read notes", description: "Read any note." },
      "acme.notes::write": {
        displayName: "Write notes",
        description: "Change notes.",
        consequence: "Overwrites data.",
      },
      "acme.notes::export": { displayName: "Export", description: "Export notes.", consequence: "" },
    },
    schemas: {
      NoteGet: { type: "object", properties: { noteId: { type: "string" } }, required: ["noteId"] },
      Note: {
        type: "object",
        properties: {
          noteId: { type: "string" },
          owner: { type: "object", properties: { id: { type: "string" }, tier: { enum: ["free", "pro"] } } },
          text: { type: "string" },
          tags: { type: "array", items: { type: "string" } },
        },
      },
      NoteMissingData: { type: "object", properties: { noteId: { type: "string" } } },
      Export: {
        type: "object",
        properties: {
          name: { type: "string" },
          mime: { type: "string" },
          meta: { type: "object", additionalProperties: { type: "string" } },
        },
      },
      Progress: { type: "object", properties: { pct: { type: "integer" } } },
      Signal: true,
      Query: { type: "object" },
      Prefs: { type: "object" },
      PrefsV1: { type: "object" },
      Entry: { type: "object" },
      Job: { type: "object" },
      JobResult: { type: "object" },
      Public: { type: "object" },
    },
    exports: { schemas: ["Public", "Note"] },
    uses: {
      required: {
        billing: { contract: "billing@v1", rpc: { call: ["Billing.Quote"] }, operations: { call: ["Billing.Refund"] } },
        partners: {
          contract: "partners@v1",
          events: { subscribe: ["Partner.Changed", "Partner.Ping"] },
          feeds: { subscribe: ["Partner.Watch"] },
        },
      },
      optional: {
        audit: { contract: "acme.audit@v1", events: { publish: ["Audit.Record"], subscribe: [] } },
      },
    },
    state: {
      prefs: {
        kind: "value",
        schema: { schema: "Prefs" },
        stateVersion: "prefs.v2",
        acceptedVersions: { "prefs.v1": { schema: "PrefsV1" } },
        docs: { markdown: "User preferences." },
      },
      drafts: { kind: "map", schema: { schema: "Note" } },
    },
    rpc: {
      "Notes.Get": {
        version: "v1",
        subject: "rpc.v1.Notes.Get",
        input: { schema: "NoteGet" },
        output: { schema: "Note" },
        capabilities: { call: ["acme.notes::read"] },
        errors: [{ type: "NoteMissing" }, { type: "ValidationError" }],
        docs: { markdown: "Get one note." },
      },
      "Notes.Download": {
        version: "v1",
        subject: "rpc.v1.Notes.Download",
        input: { schema: "NoteGet" },
        output: { schema: "Note" },
        capabilities: { call: ["acme.notes::read", "admin"] },
        transfer: { direction: "receive" },
        internal: false,
      },
    },
    operations: {
      "Notes.Export": {
        version: "v1",
        subject: "operations.v1.Notes.Export",
        input: { schema: "Export" },
        progress: { schema: "Progress" },
        output: { schema: "Note" },
        capabilities: {
          call: ["acme.notes::export"],
          observe: ["acme.notes::read"],
          cancel: ["admin"],
          control: ["acme.notes::write"],
        },
        signals: { pause: { input: { schema: "Signal" }, docs: { markdown: "Pause." } } },
        cancel: true,
        transfer: {
          direction: "send",
          store: "exports",
          key: "/name",
          contentType: "/mime",
          metadata: "/meta",
          expiresInMs: 60000,
          maxBytes: 1048576,
        },
        docs: { markdown: "Export notes." },
      },
    },
    events: {
      "Note.Changed": {
        version: "v1",
        subject: "events.v1.Note.Changed.{/owner/id}.{/owner/tier}",
        params: ["/owner/id", "/owner/tier"],
        event: { schema: "Note" },
        capabilities: { publish: ["service"], subscribe: ["acme.notes::read"] },
        docs: { markdown: "A note changed." },
      },
      "Note.Deleted": { version: "v1", subject: "events.v1.Note.Deleted", event: { schema: "NoteGet" } },
    },
    feeds: {
      "Notes.Watch": {
        version: "v1",
        subject: "feeds.v1.Notes.Watch",
        input: { schema: "Query" },
        event: { schema: "Note" },
        capabilities: { subscribe: ["acme.notes::read"] },
      },
    },
    jobs: {
      reindex: {
        payload: { schema: "Job" },
        result: { schema: "JobResult" },
        maxDeliver: 3,
        backoffMs: [1000, 0, 5000],
        ackWaitMs: 60000,
        defaultDeadlineMs: 600000,
        progress: false,
        logs: true,
        dlq: false,
        concurrency: 2,
        docs: { markdown: "Rebuild the index." },
      },
    },
    eventConsumers: {
      projector: {
        uses: { partners: ["Partner.Ping", "Partner.Changed", "Partner.Ping"] },
        self: ["Note.Deleted", "Note.Changed"],
        replay: "all",
        ordering: "strict",
        concurrency: 1,
        ackWaitMs: 30000,
        maxDeliver: 4,
        backoffMs: [100, 200],
        docs: { markdown: "Projects changes." },
      },
    },
    resources: {
      kv: {
        cache: {
          purpose: "Cache",
          schema: { schema: "Entry" },
          required: true,
          history: 2,
          ttlMs: 0,
          maxValueBytes: 4096,
          docs: { markdown: "c" },
        },
      },
      store: {
        exports: {
          purpose: "Exports",
          required: false,
          ttlMs: 86400000,
          maxObjectBytes: 1048576,
          maxTotalBytes: 10485760,
        },
      },
    },
    errors: {
      NoteMissing: { type: "NoteMissing", schema: { schema: "NoteMissingData" } },
      Unused: { type: "UnusedError" },
    },
  });

/** Every seed manifest, by name. */
export const SEEDS: readonly { name: string; make: () => Record<string, unknown> }[] = [
  { name: "conformance", make: conformanceInput },
  { name: "A1 billing", make: billingA1 },
  { name: "A2 partners", make: partnersA2 },
  { name: "A3 workers", make: workersA3 },
  { name: "rich", make: richManifest },
];

/** The smallest valid manifest. */
export const minimalManifest = (): Record<string, unknown> => ({
  format: "trellis.contract.v1",
  id: "mini@v1",
  displayName: "Mini",
  description: "Minimal.",
  kind: "service",
});

/** A service with `surfaces` surfaces (a quarter of each kind), each with its own schemas. */
export function largeManifest(surfaces: number): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  const rpc: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const events: Record<string, unknown> = {};
  const feeds: Record<string, unknown> = {};
  const object = (i: number) => ({
    type: "object",
    properties: {
      id: { type: "string" },
      n: { type: "integer" },
      tags: { type: "array", items: { type: "string" } },
      [`f${i}`]: { type: "boolean" },
    },
    required: ["id"],
  });
  for (let i = 0; i < surfaces; i++) {
    const name = `Area${i % 10}.Thing${i}`;
    schemas[`In${i}`] = object(i);
    schemas[`Out${i}`] = object(i + 1);
    const caps = { call: [`big::cap${i % 7}`, "admin"] };
    switch (i % 4) {
      case 0:
        rpc[name] = {
          version: "v1",
          subject: `rpc.v1.${name}`,
          input: { schema: `In${i}` },
          output: { schema: `Out${i}` },
          capabilities: caps,
          errors: [{ type: "ValidationError" }],
        };
        break;
      case 1:
        operations[name] = {
          version: "v1",
          subject: `operations.v1.${name}`,
          input: { schema: `In${i}` },
          output: { schema: `Out${i}` },
          capabilities: caps,
          cancel: true,
        };
        break;
      case 2:
        events[name] = {
          version: "v1",
          subject: `events.v1.${name}.{/id}`,
          params: ["/id"],
          event: { schema: `In${i}` },
          capabilities: { subscribe: [`big::cap${i % 7}`] },
        };
        break;
      default:
        feeds[name] = {
          version: "v1",
          subject: `feeds.v1.${name}`,
          input: { schema: `In${i}` },
          event: { schema: `Out${i}` },
        };
    }
  }
  const capabilities = Object.fromEntries(
    Array.from({ length: 7 }, (_, i) => [`big::cap${i}`, { displayName: `Cap ${i}`, description: "A capability." }]),
  );
  return {
    format: "trellis.contract.v1",
    id: "big@v1",
    displayName: "Big",
    description: "Many surfaces.",
    kind: "service",
    capabilities,
    schemas,
    rpc,
    operations,
    events,
    feeds,
  };
}
