import type { JsonValue } from "../json/pure-json.ts";
import { sortedUnique } from "./normalize.ts";
import type { NormalizedManifest, Ref, Use } from "./types.ts";

/**
 * The digest projection `P` (contracts.md §4): what a contract's identity
 * depends on. Copy (`displayName`, `description`, every `docs`), `exports`,
 * unreachable schemas and unreferenced errors are excluded; members are
 * omitted when their source is absent, while present empty maps stay.
 * The result shares embedded schema values with `n`; do not mutate it.
 */
type JsonObject = { [key: string]: JsonValue };

export function projectManifest(n: NormalizedManifest): JsonValue {
  const out: JsonObject = { format: n.format, id: n.id, kind: n.kind };
  if (n.capabilities) {
    out.capabilities = mapValues(n.capabilities, (cap) =>
      withOptional({ displayName: cap.displayName, description: cap.description }, { consequence: cap.consequence }),
    );
  }
  const schemas = projectSchemas(n);
  if (schemas !== undefined) out.schemas = schemas;
  if (n.state) {
    out.state = mapValues(n.state, (store) =>
      withOptional(
        { kind: store.kind, schema: ref(store.schema) },
        {
          stateVersion: store.stateVersion,
          acceptedVersions: store.acceptedVersions && mapValues(store.acceptedVersions, ref),
        },
      ),
    );
  }
  const uses = projectUses(n);
  if (uses !== undefined) out.uses = uses;
  if (n.rpc) {
    out.rpc = mapValues(n.rpc, (rpc) =>
      withOptional(
        { version: rpc.version, subject: rpc.subject, input: ref(rpc.input), output: ref(rpc.output) },
        {
          capabilities: rpc.capabilities && withOptional({}, { call: su(rpc.capabilities.call) }),
          errors: rpc.errors && sortedUnique(rpc.errors.map((error) => error.type)).map((type) => ({ type })),
          transfer: rpc.transfer && { direction: rpc.transfer.direction },
        },
      ),
    );
  }
  if (n.operations) {
    out.operations = mapValues(n.operations, (op) =>
      withOptional(
        { version: op.version, subject: op.subject, input: ref(op.input), output: ref(op.output) },
        {
          progress: op.progress && ref(op.progress),
          capabilities:
            op.capabilities &&
            withOptional(
              {},
              {
                call: su(op.capabilities.call),
                observe: su(op.capabilities.observe),
                cancel: su(op.capabilities.cancel),
                control: su(op.capabilities.control),
              },
            ),
          signals: op.signals && mapValues(op.signals, (signal) => ({ input: ref(signal.input) })),
          cancel: op.cancel,
          transfer:
            op.transfer &&
            withOptional(
              { direction: op.transfer.direction, store: op.transfer.store, key: op.transfer.key },
              {
                contentType: op.transfer.contentType,
                metadata: op.transfer.metadata,
                expiresInMs: op.transfer.expiresInMs,
                maxBytes: op.transfer.maxBytes,
              },
            ),
        },
      ),
    );
  }
  if (n.events) {
    out.events = mapValues(n.events, (event) =>
      withOptional(
        { version: event.version, subject: event.subject, event: ref(event.event) },
        {
          params: event.params && [...event.params],
          capabilities:
            event.capabilities &&
            withOptional({}, { publish: su(event.capabilities.publish), subscribe: su(event.capabilities.subscribe) }),
        },
      ),
    );
  }
  if (n.feeds) {
    out.feeds = mapValues(n.feeds, (feed) =>
      withOptional(
        { version: feed.version, subject: feed.subject, input: ref(feed.input), event: ref(feed.event) },
        { capabilities: feed.capabilities && withOptional({}, { subscribe: su(feed.capabilities.subscribe) }) },
      ),
    );
  }
  const errors = projectErrors(n);
  if (errors !== undefined) out.errors = errors;
  if (n.jobs) {
    out.jobs = mapValues(n.jobs, (job) =>
      withOptional(
        { payload: ref(job.payload) },
        {
          result: job.result && ref(job.result),
          maxDeliver: job.maxDeliver,
          backoffMs: job.backoffMs && [...job.backoffMs],
          ackWaitMs: job.ackWaitMs,
          defaultDeadlineMs: job.defaultDeadlineMs,
          progress: job.progress,
          logs: job.logs,
          dlq: job.dlq,
          concurrency: job.concurrency,
        },
      ),
    );
  }
  if (n.eventConsumers) {
    out.eventConsumers = mapValues(n.eventConsumers, (group) =>
      withOptional(
        {},
        {
          uses: group.uses && mapValues(group.uses, (names) => [...names]),
          self: group.self && [...group.self],
          replay: group.replay,
          ordering: group.ordering,
          concurrency: group.concurrency,
          ackWaitMs: group.ackWaitMs,
          maxDeliver: group.maxDeliver,
          backoffMs: group.backoffMs && [...group.backoffMs],
        },
      ),
    );
  }
  const resources = projectResources(n);
  if (resources !== undefined) out.resources = resources;
  return out;
}

/**
 * `Reachable(n)` (§4): the schema names the digest depends on. For each rpc
 * error type only the first `n.errors` entry with that type counts, in
 * JavaScript property order. No transitive step, and never `exports`.
 */
export function reachableSchemas(n: NormalizedManifest): Set<string> {
  const names = new Set<string>();
  const add = (target: Ref | undefined) => {
    if (target !== undefined) names.add(target.schema);
  };
  for (const store of Object.values(n.state ?? {})) {
    add(store.schema);
    Object.values(store.acceptedVersions ?? {}).forEach(add);
  }
  const firstDeclaration = new Map<string, Ref | undefined>();
  for (const declaration of Object.values(n.errors ?? {})) {
    if (!firstDeclaration.has(declaration.type)) firstDeclaration.set(declaration.type, declaration.schema);
  }
  for (const rpc of Object.values(n.rpc ?? {})) {
    add(rpc.input);
    add(rpc.output);
    for (const { type } of rpc.errors ?? []) add(firstDeclaration.get(type));
  }
  for (const op of Object.values(n.operations ?? {})) {
    add(op.input);
    add(op.progress);
    add(op.output);
    Object.values(op.signals ?? {}).forEach((signal) => add(signal.input));
  }
  for (const event of Object.values(n.events ?? {})) add(event.event);
  for (const feed of Object.values(n.feeds ?? {})) {
    add(feed.input);
    add(feed.event);
  }
  for (const job of Object.values(n.jobs ?? {})) {
    add(job.payload);
    add(job.result);
  }
  Object.values(n.resources?.kv ?? {}).forEach((kv) => add(kv.schema));
  return names;
}

function projectSchemas(n: NormalizedManifest): JsonObject | undefined {
  const reachable = reachableSchemas(n);
  // Parsing proved every embedded schema pure JSON.
  const kept = Object.entries(n.schemas ?? {}).filter(([name]) => reachable.has(name)) as [string, JsonValue][];
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

function projectErrors(n: NormalizedManifest): JsonObject | undefined {
  const referenced = new Set(
    Object.values(n.rpc ?? {}).flatMap((rpc) => (rpc.errors ?? []).map((error) => error.type)),
  );
  const kept = Object.entries(n.errors ?? {})
    .filter(([, declaration]) => referenced.has(declaration.type))
    .map(([key, declaration]): [string, JsonValue] => [
      key,
      withOptional({ type: declaration.type }, { schema: declaration.schema && ref(declaration.schema) }),
    ]);
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

/** §4 uses: `R` = projected `required` if present; `O` = projected `optional` minus `R`'s aliases. */
function projectUses(n: NormalizedManifest): JsonObject | undefined {
  const { required, optional } = n.uses ?? {};
  const projected: JsonObject = {};
  if (required !== undefined) projected.required = mapValues(required, projectUse);
  if (optional !== undefined) {
    const rest = Object.entries(optional)
      .filter(([alias]) => required === undefined || !Object.hasOwn(required, alias))
      .map(([alias, use]): [string, JsonValue] => [alias, projectUse(use)]);
    if (required === undefined || rest.length > 0) projected.optional = Object.fromEntries(rest);
  }
  return Object.keys(projected).length === 0 ? undefined : projected;
}

/** Every list `SU`; a container only if it holds a list (`rpc: {}` vanishes). */
function projectUse(use: Use): JsonObject {
  const container = (lists: Record<string, string[] | undefined>): JsonObject | undefined => {
    const kept = withOptional({}, Object.fromEntries(Object.entries(lists).map(([key, list]) => [key, su(list)])));
    return Object.keys(kept).length === 0 ? undefined : kept;
  };
  return withOptional(
    { contract: use.contract },
    {
      rpc: use.rpc && container({ call: use.rpc.call }),
      operations: use.operations && container({ call: use.operations.call }),
      events: use.events && container({ publish: use.events.publish, subscribe: use.events.subscribe }),
      feeds: use.feeds && container({ subscribe: use.feeds.subscribe }),
    },
  );
}

function projectResources(n: NormalizedManifest): JsonObject | undefined {
  const { kv, store } = n.resources ?? {};
  if (kv === undefined && store === undefined) return undefined;
  return withOptional(
    {},
    {
      kv:
        kv &&
        mapValues(kv, (entry) =>
          withOptional(
            { purpose: entry.purpose, schema: ref(entry.schema) },
            {
              required: entry.required,
              history: entry.history,
              ttlMs: entry.ttlMs,
              maxValueBytes: entry.maxValueBytes,
            },
          ),
        ),
      store:
        store &&
        mapValues(store, (entry) =>
          withOptional(
            { purpose: entry.purpose },
            {
              required: entry.required,
              ttlMs: entry.ttlMs,
              maxObjectBytes: entry.maxObjectBytes,
              maxTotalBytes: entry.maxTotalBytes,
            },
          ),
        ),
    },
  );
}

/** `base` plus every member of `extra` that is not undefined. */
function withOptional(base: JsonObject, extra: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) out[key] = value;
  return out;
}

function mapValues<T>(record: Record<string, T>, map: (value: T) => JsonValue): JsonObject {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

const ref = (target: Ref): JsonObject => ({ schema: target.schema });
const su = (list: readonly string[] | undefined): string[] | undefined =>
  list === undefined ? undefined : sortedUnique(list);
