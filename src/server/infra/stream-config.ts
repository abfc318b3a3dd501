import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import type { InfraDefinition } from "./definitions.ts";

type StreamSource = { name: string; subject_transforms: { src: string; dest: string }[] };

/** The JetStream stream behind a definition; KV buckets are streams named `KV_<bucket>`. */
export const streamName = (definition: InfraDefinition): string =>
  definition.kind === "kv" ? `KV_${definition.name}` : definition.name;

/** What the desired stream looks like: the fields check compares and apply writes. */
export type DesiredStream = {
  name: string;
  subjects: string[];
  retention: RetentionPolicy;
  storage: StorageType;
  discard: DiscardPolicy;
  maxMsgsPerSubject: number;
  maxAgeNs: number;
  duplicateWindowNs: number;
  allowRollup: boolean;
  allowDirect: boolean;
  maxMsgs: number;
  maxBytes: number;
  /** Sourced streams (JOBS_WORK): source names with their subject transforms. */
  sources: StreamSource[];
  /** Undefined: whatever the stream has is fine (check without an explicit replica count). */
  replicas: number | undefined;
};

const DEFAULT_DUPLICATE_WINDOW_NS = nanos(120_000);

export function desiredStream(definition: InfraDefinition, replicas: number | undefined): DesiredStream {
  if (definition.kind === "stream" && definition.config !== undefined) {
    const config = definition.config;
    return {
      name: definition.name,
      subjects: [...config.subjects],
      retention: config.retention === "workqueue" ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      maxMsgsPerSubject: -1,
      maxAgeNs: config.max_age ?? 0,
      duplicateWindowNs: nanos(definition.duplicateWindowSeconds * 1000),
      allowRollup: false,
      allowDirect: config.allow_direct ?? false,
      maxMsgs: config.max_msgs ?? -1,
      maxBytes: config.max_bytes ?? -1,
      sources: (config.sources ?? []).map((source) => ({
        name: source.name,
        subject_transforms: source.subject_transforms.map((t) => ({ ...t })),
      })),
      replicas,
    };
  }
  if (definition.kind === "stream") {
    return {
      name: definition.name,
      subjects: [...definition.subjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      maxMsgsPerSubject: -1,
      maxAgeNs: 0,
      duplicateWindowNs: nanos(definition.duplicateWindowSeconds * 1000),
      allowRollup: false,
      allowDirect: false,
      maxMsgs: -1,
      maxBytes: -1,
      sources: [],
      replicas,
    };
  }
  const maxAgeNs = nanos(definition.ttlSeconds * 1000);
  // The server requires duplicate_window <= max_age; the KV client leaves the rest as here.
  return {
    name: streamName(definition),
    subjects: [`$KV.${definition.name}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    maxMsgsPerSubject: definition.history,
    maxAgeNs,
    duplicateWindowNs: maxAgeNs > 0 && maxAgeNs < DEFAULT_DUPLICATE_WINDOW_NS ? maxAgeNs : DEFAULT_DUPLICATE_WINDOW_NS,
    allowRollup: true,
    allowDirect: true,
    maxMsgs: -1,
    maxBytes: -1,
    sources: [],
    replicas,
  };
}

export function toStreamConfig(desired: DesiredStream): Partial<StreamConfig> & { name: string } {
  return {
    name: desired.name,
    subjects: desired.subjects,
    retention: desired.retention,
    storage: desired.storage,
    discard: desired.discard,
    max_msgs_per_subject: desired.maxMsgsPerSubject,
    max_age: desired.maxAgeNs,
    duplicate_window: desired.duplicateWindowNs,
    allow_rollup_hdrs: desired.allowRollup,
    allow_direct: desired.allowDirect,
    max_msgs: desired.maxMsgs,
    max_bytes: desired.maxBytes,
    ...(desired.sources.length === 0 ? {} : { sources: desired.sources }),
    num_replicas: desired.replicas ?? 1,
  };
}

/** One difference between a stream and its definition, and whether `streams.update` can fix it. */
export type Drift = { field: string; expected: string; actual: string; fixable: boolean };

const sourceText = (source: { name: string; subject_transforms?: { src?: string; dest?: string }[] }) =>
  `${source.name}:${(source.subject_transforms ?? []).map((t) => `${t.src ?? ""}>${t.dest ?? ""}`).join(";")}`;

const text = (value: unknown) => (Array.isArray(value) ? value.join(",") : String(value));

/** Compares what exists with what should; retention and storage cannot change on a live stream. */
export function compareStream(desired: DesiredStream, actual: StreamConfig): Drift[] {
  const drifts: Drift[] = [];
  const check = (field: string, expected: unknown, got: unknown, fixable = true) => {
    if (text(expected) !== text(got)) drifts.push({ field, expected: text(expected), actual: text(got), fixable });
  };
  check("subjects", [...desired.subjects].sort(), [...(actual.subjects ?? [])].sort());
  check("retention", desired.retention, actual.retention, false);
  check("storage", desired.storage, actual.storage, false);
  check("discard", desired.discard, actual.discard);
  check("max_msgs_per_subject", desired.maxMsgsPerSubject, actual.max_msgs_per_subject);
  check("max_age", desired.maxAgeNs, actual.max_age);
  check("duplicate_window", desired.duplicateWindowNs, actual.duplicate_window);
  check("allow_rollup_hdrs", desired.allowRollup, actual.allow_rollup_hdrs ?? false);
  check("allow_direct", desired.allowDirect, actual.allow_direct ?? false);
  check("max_msgs", desired.maxMsgs, actual.max_msgs ?? -1);
  check("max_bytes", desired.maxBytes, actual.max_bytes ?? -1);
  check("sources", desired.sources.map(sourceText), (actual.sources ?? []).map(sourceText));
  if (desired.replicas !== undefined) check("num_replicas", desired.replicas, actual.num_replicas);
  return drifts;
}
