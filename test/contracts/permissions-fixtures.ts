import * as v from "valibot";
import { ManifestSchema } from "../../src/contracts/manifest/schema.ts";
import { loadManifest, type NormalizedManifest } from "../../src/contracts/index.ts";

/**
 * Test manifests for permissions and catalog tests: the Appendix A manifests
 * of contracts.md (billing@v1, partners@v1, workers@v1) plus small variants.
 */

/** Validated and normalized by `loadManifest`; throws on an invalid fixture. */
export function normalized(input: unknown): NormalizedManifest {
  return loadManifest(input).orThrow().manifest;
}

/** The Appendix A digests, to prove the fixtures are the spec's manifests. */
export function digestOf(input: unknown): string {
  return loadManifest(input).orThrow().digest;
}

/**
 * Shape-parsed only, skipping validation: for manifests validation would
 * reject, to show permission derivation fails closed on its own.
 */
export function unvalidated(input: unknown): NormalizedManifest {
  return v.parse(ManifestSchema, input) as NormalizedManifest;
}

export const BILLING_A1 = {
  format: "trellis.contract.v1",
  id: "billing@v1",
  displayName: "Billing",
  description: "Refunds.",
  kind: "service",
  capabilities: {
    "billing::refund": { displayName: "Refund", description: "Start refunds.", consequence: "Moves money." },
  },
  schemas: {
    In: { type: "object" },
    Prog: { type: "object", properties: { pct: { type: "integer" } } },
    Out: { type: "object" },
    Approve: true,
    Limit: { type: "object" },
    Spare: { type: "object" },
  },
  exports: { schemas: ["Spare"] },
  operations: {
    "Billing.Refund": {
      version: "v1",
      subject: "operations.v1.Billing.Refund",
      input: { schema: "In" },
      progress: { schema: "Prog" },
      output: { schema: "Out" },
      capabilities: { call: ["billing::refund", "billing::refund"], control: ["billing::refund", "admin"] },
      signals: { approve: { input: { schema: "Approve" }, docs: { markdown: "Approve." } } },
      cancel: true,
      docs: { markdown: "Refund." },
    },
  },
  rpc: {
    "Billing.Quote": {
      version: "v1",
      subject: "rpc.v1.Billing.Quote",
      input: { schema: "In" },
      output: { schema: "Out" },
      errors: [{ type: "ValidationError" }, { type: "LimitExceeded" }, { type: "ValidationError" }],
    },
  },
  errors: {
    LimitExceeded: { type: "LimitExceeded", schema: { schema: "Limit" } },
    Other: { type: "OtherError", schema: { schema: "Spare" } },
  },
};

export const PARTNERS_A2 = {
  format: "trellis.contract.v1",
  id: "partners@v1",
  displayName: "Partners",
  description: "Partner records.",
  kind: "service",
  schemas: {
    Changed: {
      type: "object",
      properties: {
        partner: {
          type: "object",
          properties: { origin: { type: "string" }, id: { anyOf: [{ type: "string" }, { type: "integer" }] } },
        },
      },
    },
    Ping: { type: "object" },
    Q: { type: "object" },
    Prefs: { type: "object" },
    PrefsV1: { type: "object" },
    Entry: { type: "object" },
  },
  events: {
    "Partner.Changed": {
      version: "v1",
      subject: "events.v1.Partner.Changed.{/partner/origin}.{/partner/id}",
      params: ["/partner/origin", "/partner/id"],
      event: { schema: "Changed" },
      capabilities: { subscribe: ["partners::read", "partners::read"] },
    },
    "Partner.Ping": { version: "v2", subject: "events.v2.Partner.Ping", event: { schema: "Ping" }, capabilities: {} },
  },
  feeds: {
    "Partner.Watch": {
      version: "v1",
      subject: "feeds.v1.Partner.Watch",
      input: { schema: "Q" },
      event: { schema: "Ping" },
      capabilities: { subscribe: ["partners::read", "admin"] },
    },
  },
  state: {
    prefs: {
      kind: "value",
      schema: { schema: "Prefs" },
      stateVersion: "prefs.v2",
      acceptedVersions: { "prefs.v1": { schema: "PrefsV1" } },
      docs: { markdown: "Prefs." },
    },
  },
  resources: {
    kv: { cache: { purpose: "Cache", schema: { schema: "Entry" }, history: 3 } },
    store: { uploads: { purpose: "Uploads", required: false, ttlMs: 86400000 } },
  },
  eventConsumers: { projector: { self: ["Partner.Ping", "Partner.Changed", "Partner.Ping"], ackWaitMs: 60000 } },
};

export const WORKERS_A3 = {
  format: "trellis.contract.v1",
  id: "workers@v1",
  displayName: "Workers",
  description: "Background work.",
  kind: "service",
  schemas: { P: { type: "object" }, R: { type: "object" }, S: { type: "object" } },
  uses: {
    stray: { contract: "x@v1" },
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
      core: { contract: "trellis.core@v1", rpc: { call: ["Trellis.Surface.Status", "Trellis.Catalog"] }, events: {} },
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
      futureFlag: true,
    },
  },
  rpc: {
    "Workers.Status": {
      version: "v1",
      subject: "rpc.v1.Workers.Status",
      input: { schema: "S" },
      output: { schema: "S" },
      internal: true,
      capabilities: {},
    },
  },
  eventConsumers: {
    sync: { uses: { partners: ["Partner.Changed", "Partner.Ping", "Partner.Changed"] }, replay: "all" },
  },
};

export const billing = normalized(BILLING_A1);
export const partners = normalized(PARTNERS_A2);
export const workers = normalized(WORKERS_A3);

/** An app (user) contract that calls into billing and partners. */
export function appUsing(uses: Record<string, unknown>): NormalizedManifest {
  return normalized({
    format: "trellis.contract.v1",
    id: "console@v1",
    displayName: "Console",
    description: "Operator console.",
    kind: "app",
    uses: { required: uses },
  });
}
