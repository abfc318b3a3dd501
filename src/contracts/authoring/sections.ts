import {
  EventConsumerSchema,
  JobQueueSchema,
  KvResourceSchema,
  StateStoreSchema,
  StoreResourceSchema,
} from "../manifest/schema.ts";
import { sortedUnique } from "../manifest/normalize.ts";
import { RUNTIME_DEFAULTS } from "../manifest/types.ts";
import {
  checkMembers,
  isPlainObject,
  pickDefined,
  schemaRef,
  sectionEntries,
  withoutUndefined,
  type EmitContext,
} from "./emit-context.ts";

/**
 * Emission of the non-surface sections: exports, state, jobs, consumer
 * groups and resources (with the kv/store defaults of §7.3). Absent or empty
 * sections are left out.
 */

export function emitExports(exports: unknown, context: EmitContext): Record<string, unknown> | undefined {
  if (exports === undefined) return undefined;
  if (!isPlainObject(exports)) {
    context.issues.add(["exports"], "must be an object such as { schemas: [...] }");
    return undefined;
  }
  checkMembers(exports, ["schemas"], ["exports"], context);
  if (exports.schemas === undefined) return {};
  if (!Array.isArray(exports.schemas)) {
    context.issues.add(["exports", "schemas"], "must be a list of schema names");
    return {};
  }
  exports.schemas.forEach((name: unknown, index) => {
    if (typeof name !== "string" || !context.schemaNames.has(name)) {
      context.issues.add(["exports", "schemas", index], `unknown schema '${String(name)}'`);
    }
  });
  return { schemas: sortedUnique(exports.schemas.filter((name): name is string => typeof name === "string")) };
}

export function emitState(section: unknown, context: EmitContext): Record<string, unknown> | undefined {
  const members = Object.keys(StateStoreSchema.entries);
  const entries = sectionEntries(section, ["state"], context).map(([name, store]) => {
    const path = ["state", name];
    checkMembers(store, members, path, context);
    const emitted: Record<string, unknown> = {
      kind: store.kind,
      schema: schemaRef(store.schema, [...path, "schema"], context),
      ...pickDefined(store, ["stateVersion"]),
    };
    if (store.acceptedVersions !== undefined) {
      emitted.acceptedVersions = Object.fromEntries(
        Object.entries(isPlainObject(store.acceptedVersions) ? store.acceptedVersions : {}).map(([version, ref]) => [
          version,
          schemaRef(ref, [...path, "acceptedVersions", version], context),
        ]),
      );
    }
    return [name, { ...emitted, ...pickDefined(store, ["docs"]) }] as const;
  });
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

export function emitJobs(section: unknown, context: EmitContext): Record<string, unknown> | undefined {
  const members = Object.keys(JobQueueSchema.entries);
  const entries = sectionEntries(section, ["jobs"], context).map(([name, job]) => {
    const path = ["jobs", name];
    checkMembers(job, members, path, context);
    return [
      name,
      {
        ...pickDefined(job, members),
        payload: schemaRef(job.payload, [...path, "payload"], context),
        ...(job.result === undefined ? {} : { result: schemaRef(job.result, [...path, "result"], context) }),
      },
    ] as const;
  });
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

export function emitEventConsumers(section: unknown, context: EmitContext): Record<string, unknown> | undefined {
  const members = Object.keys(EventConsumerSchema.entries);
  const entries = sectionEntries(section, ["eventConsumers"], context).map(([name, group]) => {
    checkMembers(group, members, ["eventConsumers", name], context);
    const emitted = pickDefined(group, members);
    if (isPlainObject(group.uses)) {
      emitted.uses = Object.fromEntries(
        Object.entries(group.uses).map(([alias, events]) => [
          alias,
          Array.isArray(events) ? sortedUnique(events) : events,
        ]),
      );
    }
    if (Array.isArray(group.self)) emitted.self = sortedUnique(group.self);
    return [name, emitted] as const;
  });
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** kv and store resources with the runtime defaults written out when omitted (§7.3). */
export function emitResources(resources: unknown, context: EmitContext): Record<string, unknown> | undefined {
  if (resources === undefined) return undefined;
  if (!isPlainObject(resources)) {
    context.issues.add(["resources"], "must be an object with 'kv' and/or 'store'");
    return undefined;
  }
  checkMembers(resources, ["kv", "store"], ["resources"], context);
  const kvMembers = Object.keys(KvResourceSchema.entries);
  const storeMembers = Object.keys(StoreResourceSchema.entries);
  const kv = sectionEntries(resources.kv, ["resources", "kv"], context).map(([alias, entry]) => {
    const path = ["resources", "kv", alias];
    checkMembers(entry, kvMembers, path, context);
    const { required, history, ttlMs } = RUNTIME_DEFAULTS.kv;
    return [
      alias,
      {
        required,
        history,
        ttlMs,
        ...pickDefined(entry, kvMembers),
        schema: schemaRef(entry.schema, [...path, "schema"], context),
      },
    ] as const;
  });
  const store = sectionEntries(resources.store, ["resources", "store"], context).map(([alias, entry]) => {
    checkMembers(entry, storeMembers, ["resources", "store", alias], context);
    const { required, ttlMs } = RUNTIME_DEFAULTS.store;
    return [alias, { required, ttlMs, ...pickDefined(entry, storeMembers) }] as const;
  });
  const emitted = withoutUndefined({
    kv: kv.length === 0 ? undefined : Object.fromEntries(kv),
    store: store.length === 0 ? undefined : Object.fromEntries(store),
  });
  return Object.keys(emitted).length === 0 ? undefined : emitted;
}
