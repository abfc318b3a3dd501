import {
  EventConsumerSchema,
  JobQueueSchema,
  KvResourceSchema,
  StateStoreSchema,
  StoreResourceSchema,
} from "../manifest/schema.ts";
import { RUNTIME_DEFAULTS, type ContractKind, type Use, type Uses } from "../manifest/types.ts";
import { addBaselineUses, baselineAliases, pendingSurfaces } from "./baseline-uses.ts";
import { CapabilityNames } from "./capabilities.ts";
import { IssueCollector } from "./contract-definition-error.ts";
import type { WireErrorClass } from "./define-error.ts";
import { checkMembers, isPlainObject, pickDefined, schemaRef, sectionEntries, type EmitContext } from "./emit-context.ts";
import { emitErrorDeclarations } from "./error-declarations.ts";
import { emitJsonSchema, type JsonSchemaObject } from "./json-schema.ts";
import { contractNamespace } from "../rules/identity.ts";
import { sortedUnique } from "../manifest/normalize.ts";
import type { SurfaceGroups } from "./surface-types.ts";
import { emitEvents, emitFeeds, emitOperations, emitRpcs } from "./surfaces.ts";
import type { SchemaMap } from "./types.ts";
import { USE_LISTS } from "./use.ts";
import { isUseRecord, USE_RECORD_SURFACES } from "./use-record.ts";

/** Body members per kind (§7): services also own surfaces, jobs and resources. */
const COMMON_MEMBERS = ["id", "displayName", "description", "docs", "capabilities", "exports", "uses", "state", "eventConsumers"];
const SERVICE_MEMBERS = [...COMMON_MEMBERS, "rpc", "operations", "events", "feeds", "jobs", "resources"];
const MISPLACED_MEMBERS: Record<string, string> = {
  format: "'format' is always 'trellis.contract.v1' and is written by the helper",
  kind: "'kind' comes from the helper (defineServiceContract, defineAppContract, ...)",
  schemas: "schemas belong in the first argument: define*Contract({ schemas }, (ref) => body)",
  errors: "errors belong in the first argument: defineServiceContract({ errors }, (ref) => body)",
};

export interface ContractSource {
  readonly kind: ContractKind;
  readonly body: unknown;
  readonly schemas: unknown;
  readonly errors: unknown;
}

export interface EmittedContract {
  /** The manifest JSON, before validation and normalization. */
  readonly manifest: Record<string, unknown>;
  readonly id: string;
  /** Declared errors by local key. */
  readonly errorClasses: ReadonlyMap<string, WireErrorClass>;
  /** Selected surfaces of every use record, then the pending baseline ones. */
  readonly usedSources: readonly SurfaceGroups[];
}

/**
 * Turns a contract source into manifest JSON following §7.1–§7.4. Every
 * problem found is collected; any problem throws a ContractDefinitionError.
 */
export function emitContract(source: ContractSource): EmittedContract {
  const issues = new IssueCollector();
  const body = isPlainObject(source.body) ? source.body : {};
  if (!isPlainObject(source.body)) issues.add([], "the contract body must be an object");
  const id = typeof body.id === "string" ? body.id : "";
  if (id === "") issues.add(["id"], "must be a non-empty string such as 'acme.notes@v1'");
  checkBodyMembers(body, source.kind, issues);

  const registry = emitSchemas(source.schemas, issues);
  const schemaNames = new Set(Object.keys(registry));
  const declared =
    source.kind === "service" && source.errors !== undefined
      ? emitErrorDeclarations(isPlainObject(source.errors) ? source.errors : {}, registry, issues)
      : { declarations: {}, classes: new Map<string, WireErrorClass>() };
  if (source.errors !== undefined && !isPlainObject(source.errors)) issues.add(["errors"], "must be an object of error classes");

  const declaredCapabilities = isPlainObject(body.capabilities) ? body.capabilities : {};
  const capabilities = new CapabilityNames(contractNamespace(id), Object.keys(declaredCapabilities));
  const context: EmitContext = { issues, capabilities, schemaNames, errorClasses: declared.classes };

  const state = emitState(body.state, context);
  const { uses, usedSources } = emitUses(body.uses, source.kind, id, state !== undefined, context);
  const manifest = withoutUndefined({
    format: "trellis.contract.v1",
    id: body.id,
    displayName: body.displayName,
    description: body.description,
    docs: body.docs,
    kind: source.kind,
    capabilities: nonEmpty(capabilities.emitDeclarations(declaredCapabilities as never, issues)),
    schemas: nonEmpty(registry),
    exports: emitExports(body.exports, context),
    uses,
    state,
    rpc: emitRpcs(body.rpc, context),
    operations: emitOperations(body.operations, context),
    events: emitEvents(body.events, context),
    feeds: emitFeeds(body.feeds, context),
    jobs: emitJobs(body.jobs, context),
    eventConsumers: emitEventConsumers(body.eventConsumers, context),
    resources: emitResources(body.resources, context),
    errors: nonEmpty(declared.declarations),
  });
  issues.throwIfAny(id === "" ? "contract" : `contract '${id}'`);
  return { manifest, id, errorClasses: declared.classes, usedSources };
}

function checkBodyMembers(body: Record<string, unknown>, kind: ContractKind, issues: IssueCollector): void {
  const allowed = kind === "service" ? SERVICE_MEMBERS : COMMON_MEMBERS;
  for (const key of Object.keys(body)) {
    if (allowed.includes(key)) continue;
    const misplaced = MISPLACED_MEMBERS[key];
    if (misplaced !== undefined) issues.add([key], misplaced);
    else if (SERVICE_MEMBERS.includes(key)) issues.add([key], `a ${kind} contract cannot declare '${key}' (only services do)`);
    else issues.add([key], `unknown member '${key}' (expected one of: ${allowed.join(", ")})`);
  }
}

function emitSchemas(schemas: unknown, issues: IssueCollector): Record<string, JsonSchemaObject> {
  const registry: Record<string, JsonSchemaObject> = {};
  if (schemas === undefined) return registry;
  if (!isPlainObject(schemas)) {
    issues.add(["schemas"], "must be an object of valibot schemas");
    return registry;
  }
  for (const [name, schema] of Object.entries(schemas as SchemaMap)) {
    if (typeof schema !== "object" || schema === null || (schema as { kind?: unknown }).kind !== "schema") {
      issues.add(["schemas", name], "must be a valibot schema");
      continue;
    }
    const emitted = emitJsonSchema(schema);
    if (emitted.isOk()) registry[name] = emitted.value;
    else issues.addAll(["schemas", name], emitted.error.issues);
  }
  return registry;
}

function emitExports(exports: unknown, context: EmitContext): Record<string, unknown> | undefined {
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

function emitState(section: unknown, context: EmitContext): Record<string, unknown> | undefined {
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

function emitJobs(section: unknown, context: EmitContext): Record<string, unknown> | undefined {
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

function emitEventConsumers(section: unknown, context: EmitContext): Record<string, unknown> | undefined {
  const members = Object.keys(EventConsumerSchema.entries);
  const entries = sectionEntries(section, ["eventConsumers"], context).map(([name, group]) => {
    checkMembers(group, members, ["eventConsumers", name], context);
    const emitted = pickDefined(group, members);
    if (isPlainObject(group.uses)) {
      emitted.uses = Object.fromEntries(
        Object.entries(group.uses).map(([alias, events]) => [alias, Array.isArray(events) ? sortedUnique(events) : events]),
      );
    }
    if (Array.isArray(group.self)) emitted.self = sortedUnique(group.self);
    return [name, emitted] as const;
  });
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** kv and store resources with the runtime defaults written out when omitted (§7.3). */
function emitResources(resources: unknown, context: EmitContext): Record<string, unknown> | undefined {
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
    return [alias, { required, history, ttlMs, ...pickDefined(entry, kvMembers), schema: schemaRef(entry.schema, [...path, "schema"], context) }] as const;
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

/** `uses` from use records only (§7.4), then the baseline uses (§5). */
function emitUses(
  section: unknown,
  kind: ContractKind,
  id: string,
  declaresState: boolean,
  context: EmitContext,
): { uses: Uses | undefined; usedSources: SurfaceGroups[] } {
  const uses: Uses = {};
  const usedSources: SurfaceGroups[] = [];
  if (section !== undefined && !isPlainObject(section)) context.issues.add(["uses"], "must be an object with 'required' and/or 'optional'");
  const groups = isPlainObject(section) ? section : {};
  checkMembers(groups, ["required", "optional"], ["uses"], context);
  for (const group of ["required", "optional"] as const) {
    const aliases = groups[group];
    if (aliases === undefined) continue;
    if (!isPlainObject(aliases)) {
      context.issues.add(["uses", group], "must be an object of alias → <module>.use(...)");
      continue;
    }
    const emitted: Record<string, Use> = {};
    for (const [alias, record] of Object.entries(aliases)) {
      if (!isUseRecord(record)) {
        context.issues.add(["uses", group, alias], "must be the result of <module>.use(spec) of the target contract module");
        continue;
      }
      emitted[alias] = copyUse(record);
      usedSources.push(record[USE_RECORD_SURFACES]);
    }
    uses[group] = emitted;
  }
  const baseline = baselineAliases(kind, id, declaresState);
  addBaselineUses(uses, baseline, context.issues);
  usedSources.push(pendingSurfaces(baseline));
  const empty = Object.keys(uses.required ?? {}).length === 0 && Object.keys(uses.optional ?? {}).length === 0;
  return { uses: empty ? undefined : uses, usedSources };
}

/** The `Use` part of a record (its lists are already `SU`). */
function copyUse(record: Use): Use {
  const use: Use = { contract: record.contract };
  for (const section of Object.keys(USE_LISTS) as (keyof typeof USE_LISTS)[]) {
    const lists = record[section] as Record<string, readonly string[]> | undefined;
    if (lists !== undefined) (use as Record<string, unknown>)[section] = Object.fromEntries(Object.entries(lists).map(([k, l]) => [k, [...l]]));
  }
  return use;
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length === 0 ? undefined : value;
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}
