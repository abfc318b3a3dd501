/**
 * A small service that uses every section the compatibility analysis
 * compares, each schema referenced from one place only, so that a case
 * changing one schema changes one position. Fresh copy per call.
 */
export type Manifest = { [key: string]: unknown };

const str = { type: "string" };

export const shopManifest = (): Manifest =>
  structuredClone({
    format: "trellis.contract.v1",
    id: "acme.shop@v1",
    displayName: "Shop",
    description: "Sells things.",
    docs: { markdown: "The shop." },
    kind: "service",
    capabilities: {
      "acme.shop::read": { displayName: "Read", description: "Read items." },
      "acme.shop::write": { displayName: "Write", description: "Change items.", consequence: "Moves stock." },
      "acme.shop::admin": { displayName: "Admin", description: "Unused by any gate." },
    },
    schemas: {
      GetIn: {
        type: "object",
        properties: { id: { type: "string", minLength: 1 }, tag: { enum: ["a", "b", "c"] } },
        required: ["id"],
      },
      GetOut: {
        type: "object",
        properties: {
          id: str,
          status: { enum: ["open", "closed"] },
          count: { type: "integer", minimum: 0 },
          label: str,
        },
        required: ["id", "status", "label"],
      },
      ShipIn: { type: "object", properties: { id: str }, required: ["id"] },
      ShipProgress: {
        type: "object",
        properties: { percent: { type: "integer", minimum: 0, maximum: 100 } },
        required: ["percent"],
      },
      ShipOut: { type: "object", properties: { tracking: str }, required: ["tracking"] },
      Approve: { type: "object", properties: { note: str } },
      Changed: {
        type: "object",
        properties: { id: str, status: { enum: ["open", "closed"] } },
        required: ["id", "status"],
      },
      Ping: { type: "object", properties: { at: str } },
      WatchIn: { type: "object", properties: { prefix: { type: "string", maxLength: 20 } } },
      WatchItem: { type: "object", properties: { id: str }, required: ["id"] },
      Missing: {
        type: "object",
        properties: { id: str, type: { const: "ItemMissing" }, message: str, itemId: str },
        required: ["id", "type", "message"],
      },
      Task: { type: "object", properties: { sku: str, quantity: { type: "integer", minimum: 1 } }, required: ["sku"] },
      Done: { type: "object", properties: { restocked: { type: "integer" } } },
      Stock: { type: "object", properties: { sku: str, level: { enum: ["low", "ok", "high"] } }, required: ["sku"] },
      Prefs: { type: "object", properties: { theme: { type: "string", maxLength: 10 } } },
      Counts: { type: "object", additionalProperties: { type: "integer" } },
      Exported: { type: "object" },
    },
    exports: { schemas: ["Exported"] },
    rpc: {
      "Shop.Get": {
        version: "v1",
        subject: "rpc.v1.Shop.Get",
        input: { schema: "GetIn" },
        output: { schema: "GetOut" },
        capabilities: { call: ["acme.shop::read"] },
        errors: [{ type: "ItemMissing" }, { type: "ValidationError" }],
      },
      "Shop.Counts": {
        version: "v1",
        subject: "rpc.v1.Shop.Counts",
        input: { schema: "WatchIn" },
        output: { schema: "Counts" },
      },
    },
    operations: {
      "Shop.Ship": {
        version: "v1",
        subject: "operations.v1.Shop.Ship",
        input: { schema: "ShipIn" },
        progress: { schema: "ShipProgress" },
        output: { schema: "ShipOut" },
        capabilities: {
          call: ["acme.shop::write"],
          observe: ["acme.shop::read"],
          cancel: ["acme.shop::write"],
          control: ["acme.shop::write"],
        },
        signals: { approve: { input: { schema: "Approve" } } },
        cancel: true,
      },
    },
    events: {
      "Shop.Changed": {
        version: "v1",
        subject: "events.v1.Shop.Changed.{/status}",
        params: ["/status"],
        event: { schema: "Changed" },
        capabilities: { subscribe: ["acme.shop::read"] },
      },
      "Shop.Pinged": { version: "v1", subject: "events.v1.Shop.Pinged", event: { schema: "Ping" } },
    },
    feeds: {
      "Shop.Watch": {
        version: "v1",
        subject: "feeds.v1.Shop.Watch",
        input: { schema: "WatchIn" },
        event: { schema: "WatchItem" },
        capabilities: { subscribe: ["acme.shop::read"] },
      },
    },
    errors: { ItemMissing: { type: "ItemMissing", schema: { schema: "Missing" } } },
    jobs: {
      restock: {
        payload: { schema: "Task" },
        result: { schema: "Done" },
        maxDeliver: 5,
        ackWaitMs: 60000,
        backoffMs: [1000, 5000],
        concurrency: 2,
      },
    },
    eventConsumers: { audit: { self: ["Shop.Changed"], replay: "all", ackWaitMs: 30000, maxDeliver: 4 } },
    resources: {
      kv: { stock: { purpose: "Stock levels", schema: { schema: "Stock" }, history: 2, ttlMs: 0 } },
      store: { photos: { purpose: "Photos", ttlMs: 0, maxObjectBytes: 1000000 } },
    },
    state: { prefs: { kind: "value", schema: { schema: "Prefs" }, stateVersion: "v1" } },
    uses: {
      required: { billing: { contract: "acme.billing@v1", rpc: { call: ["Billing.Charge"] } } },
      optional: { mail: { contract: "acme.mail@v1", events: { subscribe: ["Mail.Sent"] } } },
    },
  });

/** The smallest valid manifest, for identity cases. */
export const tinyManifest = (id = "acme.tiny@v1", kind = "service"): Manifest => ({
  format: "trellis.contract.v1",
  id,
  displayName: "Tiny",
  description: "Nothing much.",
  kind,
});
