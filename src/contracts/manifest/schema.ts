import * as v from "valibot";
import { RESERVED_KEYS } from "../rules/names.ts";
import { isJsonObject, jsonTypeName, quote } from "../schema/json-type.ts";
import { isPayloadPointer, PAYLOAD_POINTER_FORM } from "../schema/pointer.ts";

/**
 * The `trellis.contract.v1` manifest as valibot schemas (contracts.md §1).
 *
 * These schemas check shapes only (§2.3): JSON types, required members and
 * non-empty required strings, literals, pointer forms, integer bounds and
 * text size limits. Ids, names, subjects, capability keys, cross-references
 * and the other rules of §2 live in `rules/`. `v.object` drops unknown
 * members from its output, which is exactly the first step of
 * normalization (§3.1).
 */

// valibot's object and record accept arrays, so every object is guarded first.
const jsonObject = v.custom<unknown>(isJsonObject, (issue) => `expected object, got ${jsonTypeName(issue.input)}`);

/** `v.object` behind the array guard; `entries` stays reachable as on a plain `v.object`. */
function object<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  const inner = v.object(entries);
  return Object.assign(v.pipe(jsonObject, inner), { entries: inner.entries });
}

/** valibot records skip `__proto__`, `constructor` and `prototype` silently; refuse them instead. */
const noReservedKeys = v.rawCheck<unknown>(({ dataset, addIssue }) => {
  const input = dataset.value;
  if (!dataset.typed || !isJsonObject(input)) return;
  for (const key of RESERVED_KEYS) {
    if (!Object.hasOwn(input, key)) continue;
    addIssue({
      message: `'${key}' is reserved and cannot be used as a name`,
      path: [{ type: "object", origin: "key", input, key, value: input[key] }],
    });
  }
});

function record<
  const TKey extends v.BaseSchema<string, string, v.BaseIssue<unknown>>,
  const TValue extends v.BaseSchema<unknown, unknown, v.BaseIssue<unknown>>,
>(key: TKey, value: TValue) {
  return v.pipe(jsonObject, noReservedKeys, v.record(key, value));
}

/** Refuses repeated entries, each at its own index. */
const distinctItems = v.rawCheck<string[]>(({ dataset, addIssue }) => {
  if (!dataset.typed) return;
  const seen = new Set<string>();
  dataset.value.forEach((item, index) => {
    if (seen.has(item)) {
      addIssue({
        message: `duplicate entry ${quote(item)}`,
        path: [{ type: "array", origin: "value", input: dataset.value, key: index, value: item }],
      });
    }
    seen.add(item);
  });
});

/** Text limits (§8 leaves them open): generous, but a manifest travels in one NATS message. */
export const TEXT_LIMITS = { label: 256, text: 4096, markdown: 65536 } as const;

function text(max: number, { required }: { required: boolean }) {
  const tooLong = v.check<string, (issue: v.CheckIssue<string>) => string>(
    (input) => input.length <= max,
    (issue) => `must be at most ${max} characters, got ${issue.input.length}`,
  );
  return required
    ? v.pipe(v.string(), v.minLength(1, "must be a non-empty string"), tooLong)
    : v.pipe(v.string(), tooLong);
}

const label = text(TEXT_LIMITS.label, { required: true });
const description = text(TEXT_LIMITS.text, { required: true });
const optionalText = v.optional(text(TEXT_LIMITS.text, { required: false }));

const pointer = v.pipe(v.string(), v.check(isPayloadPointer, `must be ${PAYLOAD_POINTER_FORM}`));
/** `contentType`, `metadata`: empty (normalization drops it) or a pointer. */
const optionalPointer = v.optional(
  v.pipe(
    v.string(),
    v.check((p) => p === "" || isPayloadPointer(p), `must be empty or ${PAYLOAD_POINTER_FORM}`),
  ),
);

const integerAtLeast = (min: number) =>
  v.pipe(
    v.number(),
    v.safeInteger((issue) => `must be an integer, got ${issue.received}`),
    v.minValue(min, (issue) => `must be at least ${min}, got ${issue.received}`),
  );
const positiveInt = integerAtLeast(1);
const nonNegativeInt = integerAtLeast(0);

const version = v.pipe(
  v.string(),
  v.regex(/^v[0-9]+$/, (issue) => `must match ^v[0-9]+$ (for example 'v1'), got ${quote(String(issue.input))}`),
);

function choice<const TOptions extends readonly string[]>(options: TOptions) {
  const quoted = options.map((option) => `'${option}'`);
  const expected = quoted.length <= 2 ? quoted.join(" or ") : `one of ${quoted.join(", ")}`;
  return v.picklist(options, (issue) =>
    typeof issue.input === "string"
      ? `must be ${expected}, got ${quote(issue.input)}`
      : `must be ${expected}, got ${jsonTypeName(issue.input)}`,
  );
}

/** Names and ids: non-empty here; their characters are checked by `rules/names.ts` and `rules/identity.ts`. */
const nonEmpty = v.pipe(v.string(), v.minLength(1, "must be a non-empty string"));

export const RefSchema = object({ schema: nonEmpty });
export const DocsSchema = object({ summary: optionalText, markdown: text(TEXT_LIMITS.markdown, { required: true }) });
/** An all-of list of capability keys; entries are checked by `rules/capabilities.ts` (§2.9). */
export const CapsSchema = v.array(v.string());

/** An embedded JSON Schema: an object or a boolean, copied verbatim (§1, §2.5). */
export const JsonSchemaSchema = v.custom<Record<string, unknown> | boolean>(
  (input) => typeof input === "boolean" || isJsonObject(input),
  (issue) => `must be a JSON Schema (an object or a boolean), got ${jsonTypeName(issue.input)}`,
);

export const CapabilityDeclSchema = object({
  displayName: label,
  description,
  consequence: optionalText,
});

const surfaceNames = v.array(nonEmpty);

export const UseSchema = object({
  contract: nonEmpty,
  rpc: v.optional(object({ call: v.optional(surfaceNames) })),
  operations: v.optional(object({ call: v.optional(surfaceNames) })),
  events: v.optional(object({ publish: v.optional(surfaceNames), subscribe: v.optional(surfaceNames) })),
  feeds: v.optional(object({ subscribe: v.optional(surfaceNames) })),
});

export const UsesSchema = object({
  required: v.optional(record(v.string(), UseSchema)),
  optional: v.optional(record(v.string(), UseSchema)),
});

export const StateStoreSchema = object({
  kind: choice(["value", "map"]),
  schema: RefSchema,
  stateVersion: v.optional(v.string()),
  acceptedVersions: v.optional(record(v.string(), RefSchema)),
  docs: v.optional(DocsSchema),
});

export const RpcSchema = object({
  version,
  subject: nonEmpty,
  input: RefSchema,
  output: RefSchema,
  capabilities: v.optional(object({ call: v.optional(CapsSchema) })),
  errors: v.optional(v.array(object({ type: nonEmpty }))),
  transfer: v.optional(object({ direction: choice(["receive"]) })),
  internal: v.optional(v.boolean()),
  docs: v.optional(DocsSchema),
});

export const OperationTransferSchema = object({
  direction: choice(["send"]),
  store: nonEmpty,
  key: pointer,
  contentType: optionalPointer,
  metadata: optionalPointer,
  expiresInMs: v.optional(positiveInt),
  maxBytes: v.optional(positiveInt),
});

export const OperationSchema = object({
  version,
  subject: nonEmpty,
  input: RefSchema,
  progress: v.optional(RefSchema),
  output: RefSchema,
  capabilities: v.optional(
    object({
      call: v.optional(CapsSchema),
      observe: v.optional(CapsSchema),
      cancel: v.optional(CapsSchema),
      control: v.optional(CapsSchema),
    }),
  ),
  signals: v.optional(record(v.string(), object({ input: RefSchema, docs: v.optional(DocsSchema) }))),
  cancel: v.optional(v.boolean()),
  transfer: v.optional(OperationTransferSchema),
  docs: v.optional(DocsSchema),
});

export const EventSchema = object({
  version,
  subject: nonEmpty,
  params: v.optional(v.array(pointer)),
  event: RefSchema,
  capabilities: v.optional(object({ publish: v.optional(CapsSchema), subscribe: v.optional(CapsSchema) })),
  docs: v.optional(DocsSchema),
});

export const FeedSchema = object({
  version,
  subject: nonEmpty,
  input: RefSchema,
  event: RefSchema,
  capabilities: v.optional(object({ subscribe: v.optional(CapsSchema) })),
  docs: v.optional(DocsSchema),
});

export const JobQueueSchema = object({
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

export const EventConsumerSchema = object({
  uses: v.optional(record(v.string(), v.pipe(surfaceNames, v.minLength(1, "must name at least one event")))),
  self: v.optional(surfaceNames),
  replay: v.optional(choice(["new", "all"])),
  ordering: v.optional(choice(["strict"])),
  concurrency: v.optional(positiveInt),
  ackWaitMs: v.optional(positiveInt),
  maxDeliver: v.optional(positiveInt),
  backoffMs: v.optional(v.array(nonNegativeInt)),
  docs: v.optional(DocsSchema),
});

export const KvResourceSchema = object({
  purpose: description,
  schema: RefSchema,
  required: v.optional(v.boolean()),
  history: v.optional(positiveInt),
  ttlMs: v.optional(nonNegativeInt),
  maxValueBytes: v.optional(positiveInt),
  docs: v.optional(DocsSchema),
});

export const StoreResourceSchema = object({
  purpose: description,
  required: v.optional(v.boolean()),
  ttlMs: v.optional(nonNegativeInt),
  maxObjectBytes: v.optional(positiveInt),
  maxTotalBytes: v.optional(positiveInt),
  docs: v.optional(DocsSchema),
});

export const ResourcesSchema = v.pipe(
  jsonObject,
  v.strictObject(
    {
      kv: v.optional(record(v.string(), KvResourceSchema)),
      store: v.optional(record(v.string(), StoreResourceSchema)),
    },
    "only 'kv' and 'store' are allowed in resources",
  ),
);

export const ErrorDeclSchema = object({ type: nonEmpty, schema: v.optional(RefSchema) });

export const ContractKindSchema = choice(["service", "app", "agent", "device"]);

export const ManifestSchema = object({
  format: v.literal(
    "trellis.contract.v1",
    (issue) => `must be 'trellis.contract.v1', got ${describeValue(issue.input)}`,
  ),
  id: nonEmpty,
  displayName: label,
  description,
  docs: v.optional(DocsSchema),
  kind: ContractKindSchema,
  capabilities: v.optional(record(v.string(), CapabilityDeclSchema)),
  schemas: v.optional(record(v.string(), JsonSchemaSchema)),
  exports: v.optional(object({ schemas: v.optional(v.pipe(v.array(nonEmpty), distinctItems)) })),
  uses: v.optional(UsesSchema),
  state: v.optional(record(v.string(), StateStoreSchema)),
  rpc: v.optional(record(v.string(), RpcSchema)),
  operations: v.optional(record(v.string(), OperationSchema)),
  events: v.optional(record(v.string(), EventSchema)),
  feeds: v.optional(record(v.string(), FeedSchema)),
  jobs: v.optional(record(v.string(), JobQueueSchema)),
  eventConsumers: v.optional(record(v.string(), EventConsumerSchema)),
  resources: v.optional(ResourcesSchema),
  errors: v.optional(record(v.string(), ErrorDeclSchema)),
});

function describeValue(input: unknown): string {
  return typeof input === "string" ? quote(input) : jsonTypeName(input);
}
