import * as v from "valibot";

/**
 * The `trellis.contract.v1` manifest as valibot schemas (contracts.md §1).
 *
 * These schemas check shapes only: JSON types, required members, literals,
 * string forms and integer bounds (§2.3). Cross-references, subjects,
 * capability keys and the other whole-manifest rules live in `rules/`.
 * `v.object` drops unknown members from its output, which is exactly the
 * first step of normalization (§3.1), so the parsed output feeds `normalize`.
 */

const nonEmpty = v.pipe(v.string(), v.minLength(1, "must be a non-empty string"));
const pointer = v.pipe(v.string(), v.startsWith("/", "must be a JSON Pointer starting with '/'"));
const positiveInt = v.pipe(v.number(), v.safeInteger("must be an integer"), v.minValue(1, "must be at least 1"));
const nonNegativeInt = v.pipe(v.number(), v.safeInteger("must be an integer"), v.minValue(0, "must be at least 0"));
const version = v.pipe(v.string(), v.regex(/^v[0-9]+$/, "must match ^v[0-9]+$ (for example 'v1')"));

export const RefSchema = v.object({ schema: nonEmpty });
export const DocsSchema = v.object({ summary: v.optional(v.string()), markdown: nonEmpty });
/** An all-of list of capability keys; entries are checked by `rules/capabilities.ts`. */
export const CapsSchema = v.array(v.string());

/** An embedded JSON Schema: an object or a boolean, copied verbatim (§1, §2.5). */
export const JsonSchemaSchema = v.custom<Record<string, unknown> | boolean>(
  (input) =>
    typeof input === "boolean" || (typeof input === "object" && input !== null && !Array.isArray(input)),
  "must be a JSON Schema (an object or a boolean)",
);

export const CapabilityDeclSchema = v.object({
  displayName: nonEmpty,
  description: nonEmpty,
  consequence: v.optional(v.string()),
});

export const UseSchema = v.object({
  contract: nonEmpty,
  rpc: v.optional(v.object({ call: v.optional(v.array(nonEmpty)) })),
  operations: v.optional(v.object({ call: v.optional(v.array(nonEmpty)) })),
  events: v.optional(v.object({ publish: v.optional(v.array(nonEmpty)), subscribe: v.optional(v.array(nonEmpty)) })),
  feeds: v.optional(v.object({ subscribe: v.optional(v.array(nonEmpty)) })),
});

export const UsesSchema = v.object({
  required: v.optional(v.record(v.string(), UseSchema)),
  optional: v.optional(v.record(v.string(), UseSchema)),
});

export const StateStoreSchema = v.object({
  kind: v.picklist(["value", "map"], "must be 'value' or 'map'"),
  schema: RefSchema,
  stateVersion: v.optional(v.string()),
  acceptedVersions: v.optional(v.record(v.string(), RefSchema)),
  docs: v.optional(DocsSchema),
});

export const RpcSchema = v.object({
  version,
  subject: nonEmpty,
  input: RefSchema,
  output: RefSchema,
  capabilities: v.optional(v.object({ call: v.optional(CapsSchema) })),
  errors: v.optional(v.array(v.object({ type: nonEmpty }))),
  transfer: v.optional(v.object({ direction: v.literal("receive", "must be 'receive'") })),
  internal: v.optional(v.boolean()),
  docs: v.optional(DocsSchema),
});

/** `contentType` and `metadata` may be empty (normalization drops them) or a pointer. */
const optionalPointer = v.optional(v.union([v.literal(""), pointer], "must be empty or a JSON Pointer starting with '/'"));

export const OperationTransferSchema = v.object({
  direction: v.literal("send", "must be 'send'"),
  store: nonEmpty,
  key: pointer,
  contentType: optionalPointer,
  metadata: optionalPointer,
  expiresInMs: v.optional(positiveInt),
  maxBytes: v.optional(positiveInt),
});

export const OperationSchema = v.object({
  version,
  subject: nonEmpty,
  input: RefSchema,
  progress: v.optional(RefSchema),
  output: RefSchema,
  capabilities: v.optional(
    v.object({
      call: v.optional(CapsSchema),
      observe: v.optional(CapsSchema),
      cancel: v.optional(CapsSchema),
      control: v.optional(CapsSchema),
    }),
  ),
  signals: v.optional(v.record(v.string(), v.object({ input: RefSchema, docs: v.optional(DocsSchema) }))),
  cancel: v.optional(v.boolean()),
  transfer: v.optional(OperationTransferSchema),
  docs: v.optional(DocsSchema),
});

export const EventSchema = v.object({
  version,
  subject: nonEmpty,
  params: v.optional(v.array(pointer)),
  event: RefSchema,
  capabilities: v.optional(v.object({ publish: v.optional(CapsSchema), subscribe: v.optional(CapsSchema) })),
  docs: v.optional(DocsSchema),
});

export const FeedSchema = v.object({
  version,
  subject: nonEmpty,
  input: RefSchema,
  event: RefSchema,
  capabilities: v.optional(v.object({ subscribe: v.optional(CapsSchema) })),
  docs: v.optional(DocsSchema),
});

export const JobQueueSchema = v.object({
  payload: RefSchema,
  result: v.optional(RefSchema),
  maxDeliver: v.optional(positiveInt),
  backoffMs: v.optional(v.array(nonNegativeInt)),
  ackWaitMs: v.optional(positiveInt),
  defaultDeadlineMs: v.optional(positiveInt),
  progress: v.optional(v.boolean()),
  logs: v.optional(v.boolean()),
  dlq: v.optional(v.boolean()),
  concurrency: v.optional(positiveInt),
  docs: v.optional(DocsSchema),
});

export const EventConsumerSchema = v.object({
  uses: v.optional(v.record(v.string(), v.pipe(v.array(nonEmpty), v.minLength(1, "must name at least one event")))),
  self: v.optional(v.array(nonEmpty)),
  replay: v.optional(v.picklist(["new", "all"], "must be 'new' or 'all'")),
  ordering: v.optional(v.literal("strict", "must be 'strict'")),
  concurrency: v.optional(positiveInt),
  ackWaitMs: v.optional(positiveInt),
  maxDeliver: v.optional(positiveInt),
  backoffMs: v.optional(v.array(nonNegativeInt)),
  docs: v.optional(DocsSchema),
});

export const KvResourceSchema = v.object({
  purpose: nonEmpty,
  schema: RefSchema,
  required: v.optional(v.boolean()),
  history: v.optional(positiveInt),
  ttlMs: v.optional(nonNegativeInt),
  maxValueBytes: v.optional(positiveInt),
  docs: v.optional(DocsSchema),
});

export const StoreResourceSchema = v.object({
  purpose: nonEmpty,
  required: v.optional(v.boolean()),
  ttlMs: v.optional(nonNegativeInt),
  maxObjectBytes: v.optional(positiveInt),
  maxTotalBytes: v.optional(positiveInt),
  docs: v.optional(DocsSchema),
});

export const ResourcesSchema = v.strictObject(
  {
    kv: v.optional(v.record(v.string(), KvResourceSchema)),
    store: v.optional(v.record(v.string(), StoreResourceSchema)),
  },
  "only 'kv' and 'store' are allowed here",
);

export const ErrorDeclSchema = v.object({ type: nonEmpty, schema: v.optional(RefSchema) });

export const ContractKindSchema = v.picklist(
  ["service", "app", "agent", "device"],
  "must be one of 'service', 'app', 'agent', 'device'",
);

export const ManifestSchema = v.object({
  format: v.literal("trellis.contract.v1", "must be 'trellis.contract.v1'"),
  id: nonEmpty,
  displayName: nonEmpty,
  description: nonEmpty,
  docs: v.optional(DocsSchema),
  kind: ContractKindSchema,
  capabilities: v.optional(v.record(v.string(), CapabilityDeclSchema)),
  schemas: v.optional(v.record(v.string(), JsonSchemaSchema)),
  exports: v.optional(v.object({ schemas: v.optional(v.array(nonEmpty)) })),
  uses: v.optional(UsesSchema),
  state: v.optional(v.record(v.string(), StateStoreSchema)),
  rpc: v.optional(v.record(v.string(), RpcSchema)),
  operations: v.optional(v.record(v.string(), OperationSchema)),
  events: v.optional(v.record(v.string(), EventSchema)),
  feeds: v.optional(v.record(v.string(), FeedSchema)),
  jobs: v.optional(v.record(v.string(), JobQueueSchema)),
  eventConsumers: v.optional(v.record(v.string(), EventConsumerSchema)),
  resources: v.optional(ResourcesSchema),
  errors: v.optional(v.record(v.string(), ErrorDeclSchema)),
});
