import { copyJson } from "../schema/json-copy.ts";
import type {
  CapabilityDecl,
  Docs,
  EventConsumer,
  EventDescriptor,
  FeedDescriptor,
  JobQueue,
  Manifest,
  NormalizedManifest,
  OperationDescriptor,
  OperationTransfer,
  Resources,
  RpcDescriptor,
  StateStore,
  Use,
  Uses,
} from "./types.ts";

/** `SU(l)` of contracts.md: deduplicated, sorted by UTF-16 code units (`[...new Set(l)].sort()`). */
export function sortedUnique(list: readonly string[]): string[] {
  return [...new Set(list)].sort();
}

/**
 * Normalization `N` (contracts.md §3) of a parsed manifest. The parsed
 * output already holds only §1 members (`v.object` drops the rest); this
 * rebuilds every level explicitly, so the result never shares a container
 * with the input, and applies the few §3 rules: `internal` dropped,
 * consumer defaults and `SU`, capability survival, empty optional strings
 * dropped. Everything else is copied as present, `{}`, `[]` and `false`
 * included. Idempotent: `N(N(m))` equals `N(m)`.
 */
export function normalizeManifest(manifest: Manifest): NormalizedManifest {
  const normalized: Manifest = {
    format: manifest.format,
    id: manifest.id,
    displayName: manifest.displayName,
    description: manifest.description,
    ...optional("docs", manifest.docs, docs),
    kind: manifest.kind,
    ...optional("capabilities", manifest.capabilities, (caps) => mapValues(caps, capability)),
    // Embedded schemas are arbitrary JSON, copied verbatim (never shared).
    ...optional("schemas", manifest.schemas, (schemas) => mapValues(schemas, copyJson)),
    ...optional("exports", manifest.exports, (exports) => ({ ...optional("schemas", exports.schemas, copyList) })),
    ...optional("uses", manifest.uses, uses),
    ...optional("state", manifest.state, (state) => mapValues(state, stateStore)),
    ...optional("rpc", manifest.rpc, (rpc) => mapValues(rpc, rpcDescriptor)),
    ...optional("operations", manifest.operations, (operations) => mapValues(operations, operation)),
    ...optional("events", manifest.events, (events) => mapValues(events, event)),
    ...optional("feeds", manifest.feeds, (feeds) => mapValues(feeds, feed)),
    ...optional("jobs", manifest.jobs, (jobs) => mapValues(jobs, job)),
    ...optional("eventConsumers", manifest.eventConsumers, (consumers) => mapValues(consumers, eventConsumer)),
    ...optional("resources", manifest.resources, resources),
    ...optional("errors", manifest.errors, (errors) =>
      mapValues(errors, (error) => ({ type: error.type, ...optional("schema", error.schema, ref) })),
    ),
  };
  // The brand is type-only: this function is what makes a manifest normalized.
  return normalized as NormalizedManifest;
}

/** `{ [key]: map(value) }` when the member is present, else nothing to spread. */
function optional<K extends string, T, U>(key: K, value: T | undefined, map: (value: T) => U): { [P in K]?: U } {
  return value === undefined ? {} : ({ [key]: map(value) } as { [P in K]: U });
}

/** Keeps only non-empty strings (§3.3: empty `consequence`, `stateVersion`, `contentType`, `metadata`). */
function nonEmpty<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined || value === "" ? {} : ({ [key]: value } as { [P in K]: string });
}

/** Copies a record in its own (JavaScript) property order; `fromEntries` defines keys, so no key is special. */
function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

const same = <T>(value: T): T => value;
const copyList = <T>(list: readonly T[]): T[] => [...list];
const ref = (target: { schema: string }) => ({ schema: target.schema });

function docs(value: Docs): Docs {
  return { ...optional("summary", value.summary, same), markdown: value.markdown };
}

function capability(value: CapabilityDecl): CapabilityDecl {
  return {
    displayName: value.displayName,
    description: value.description,
    ...nonEmpty("consequence", value.consequence),
  };
}

function uses(value: Uses): Uses {
  // Aliases directly under `uses` are not §1 members: they vanish (and grant nothing).
  return {
    ...optional("required", value.required, (group) => mapValues(group, use)),
    ...optional("optional", value.optional, (group) => mapValues(group, use)),
  };
}

function use(value: Use): Use {
  return {
    contract: value.contract,
    ...optional("rpc", value.rpc, (rpc) => ({ ...optional("call", rpc.call, copyList) })),
    ...optional("operations", value.operations, (ops) => ({ ...optional("call", ops.call, copyList) })),
    ...optional("events", value.events, (events) => ({
      ...optional("publish", events.publish, copyList),
      ...optional("subscribe", events.subscribe, copyList),
    })),
    ...optional("feeds", value.feeds, (feeds) => ({ ...optional("subscribe", feeds.subscribe, copyList) })),
  };
}

function stateStore(value: StateStore): StateStore {
  return {
    kind: value.kind,
    schema: ref(value.schema),
    ...nonEmpty("stateVersion", value.stateVersion),
    ...optional("acceptedVersions", value.acceptedVersions, (versions) => mapValues(versions, ref)),
    ...optional("docs", value.docs, docs),
  };
}

function rpcDescriptor(value: RpcDescriptor): RpcDescriptor {
  // `capabilities` survives only with `call`; `internal` is an authoring hint and is dropped.
  const call = value.capabilities?.call;
  return {
    version: value.version,
    subject: value.subject,
    input: ref(value.input),
    output: ref(value.output),
    ...optional("capabilities", call, (list) => ({ call: copyList(list) })),
    ...optional("errors", value.errors, (errors) => errors.map((error) => ({ type: error.type }))),
    ...optional("transfer", value.transfer, (transfer) => ({ direction: transfer.direction })),
    ...optional("docs", value.docs, docs),
  };
}

function operation(value: OperationDescriptor): OperationDescriptor {
  return {
    version: value.version,
    subject: value.subject,
    input: ref(value.input),
    ...optional("progress", value.progress, ref),
    output: ref(value.output),
    // Survives whenever present, with its known lists only (possibly `{}`).
    ...optional("capabilities", value.capabilities, (caps) => ({
      ...optional("call", caps.call, copyList),
      ...optional("observe", caps.observe, copyList),
      ...optional("cancel", caps.cancel, copyList),
      ...optional("control", caps.control, copyList),
    })),
    ...optional("signals", value.signals, (signals) =>
      mapValues(signals, (signal) => ({ input: ref(signal.input), ...optional("docs", signal.docs, docs) })),
    ),
    ...optional("cancel", value.cancel, same),
    ...optional("transfer", value.transfer, operationTransfer),
    ...optional("docs", value.docs, docs),
  };
}

function operationTransfer(value: OperationTransfer): OperationTransfer {
  return {
    direction: value.direction,
    store: value.store,
    key: value.key,
    ...nonEmpty("contentType", value.contentType),
    ...nonEmpty("metadata", value.metadata),
    ...optional("expiresInMs", value.expiresInMs, same),
    ...optional("maxBytes", value.maxBytes, same),
  };
}

function event(value: EventDescriptor): EventDescriptor {
  return {
    version: value.version,
    subject: value.subject,
    ...optional("params", value.params, copyList),
    event: ref(value.event),
    ...optional("capabilities", value.capabilities, (caps) => ({
      ...optional("publish", caps.publish, copyList),
      ...optional("subscribe", caps.subscribe, copyList),
    })),
    ...optional("docs", value.docs, docs),
  };
}

function feed(value: FeedDescriptor): FeedDescriptor {
  const subscribe = value.capabilities?.subscribe;
  return {
    version: value.version,
    subject: value.subject,
    input: ref(value.input),
    event: ref(value.event),
    ...optional("capabilities", subscribe, (list) => ({ subscribe: copyList(list) })),
    ...optional("docs", value.docs, docs),
  };
}

function job(value: JobQueue): JobQueue {
  // No job defaults are written (§1 runtime defaults).
  return {
    payload: ref(value.payload),
    ...optional("result", value.result, ref),
    ...optional("maxDeliver", value.maxDeliver, same),
    ...optional("backoffMs", value.backoffMs, copyList),
    ...optional("ackWaitMs", value.ackWaitMs, same),
    ...optional("defaultDeadlineMs", value.defaultDeadlineMs, same),
    ...optional("progress", value.progress, same),
    ...optional("logs", value.logs, same),
    ...optional("dlq", value.dlq, same),
    ...optional("concurrency", value.concurrency, same),
    ...optional("docs", value.docs, docs),
  };
}

function eventConsumer(value: EventConsumer): EventConsumer {
  // The only defaults normalization writes (§3.2), and `SU` of the selections.
  return {
    ...optional("uses", value.uses, (aliases) => mapValues(aliases, sortedUnique)),
    ...optional("self", value.self, sortedUnique),
    replay: value.replay ?? "new",
    ordering: value.ordering ?? "strict",
    concurrency: value.concurrency ?? 1,
    ...optional("ackWaitMs", value.ackWaitMs, same),
    ...optional("maxDeliver", value.maxDeliver, same),
    ...optional("backoffMs", value.backoffMs, copyList),
    ...optional("docs", value.docs, docs),
  };
}

function resources(value: Resources): Resources {
  return {
    ...optional("kv", value.kv, (kv) =>
      mapValues(kv, (entry) => ({
        purpose: entry.purpose,
        schema: ref(entry.schema),
        ...optional("required", entry.required, same),
        ...optional("history", entry.history, same),
        ...optional("ttlMs", entry.ttlMs, same),
        ...optional("maxValueBytes", entry.maxValueBytes, same),
        ...optional("docs", entry.docs, docs),
      })),
    ),
    ...optional("store", value.store, (store) =>
      mapValues(store, (entry) => ({
        purpose: entry.purpose,
        ...optional("required", entry.required, same),
        ...optional("ttlMs", entry.ttlMs, same),
        ...optional("maxObjectBytes", entry.maxObjectBytes, same),
        ...optional("maxTotalBytes", entry.maxTotalBytes, same),
        ...optional("docs", entry.docs, docs),
      })),
    ),
  };
}
