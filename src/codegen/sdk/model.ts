import {
  BUILTIN_ERROR_TYPES,
  contractNamespace,
  RESERVED_ERROR_FIELDS,
  TrellisError,
  type ContractKind,
  type EventDescriptor,
  type FeedDescriptor,
  type JobQueue,
  type JsonValue,
  type NormalizedManifest,
  type OperationDescriptor,
  type Ref,
  type RpcDescriptor,
  type StateStore,
  type KvResource,
  type Use,
} from "../../contracts/index.ts";
import { sortedKeys } from "../code/literal.ts";
import { Diagnostics, isSchema, type Located, type Schema } from "../json-schema/read-schema.ts";
import {
  accessorPath,
  clientTypeName,
  identifierPart,
  NameAllocator,
  packageDirOf,
  pascalCase,
  uniqueInSortedOrder,
} from "../naming.ts";
import { compare, SchemaSet, type SchemaDecl } from "./schema-set.ts";

/**
 * Everything the SDK files are rendered from, computed once from the
 * manifest and its dependency manifests: schemas, errors, owned and used
 * surfaces with their accessors, jobs, state, kv, and every generated name.
 */

export interface SdkInput {
  readonly manifest: NormalizedManifest;
  readonly digest: string;
  /** Canonical JSON of the manifest (contract.json is it plus "\n"). */
  readonly canonical: string;
  /** The source (or manifest file) as a root-relative POSIX path, cited in headers. */
  readonly source: string;
  readonly packageName: string;
  readonly version: string;
  /** The specifier generated code imports the runtime from (default `@trellis/runtime`). */
  readonly runtimeImport: string;
  /** Manifests of the contracts `uses` points at, by id (built-ins included). */
  readonly dependencies: ReadonlyMap<string, NormalizedManifest>;
  /** Versions written into `peerDependencies`. */
  readonly peerVersions: { readonly runtime: string; readonly valibot: string };
}

export type Section = "rpc" | "operations" | "events" | "feeds";
export type AccessorKind = "rpc" | "operation" | "event" | "feed";
export const SECTIONS: readonly Section[] = ["rpc", "operations", "events", "feeds"];
export const ACCESSOR_KIND: { readonly [S in Section]: AccessorKind } = {
  rpc: "rpc",
  operations: "operation",
  events: "event",
  feeds: "feed",
};

export type ErrorModel = {
  readonly provenance: string;
  /** The key in the manifest's `errors` (the class name is Pascal of it). */
  readonly key: string;
  readonly type: string;
  readonly schema: SchemaDecl | undefined;
  readonly fields: readonly { readonly name: string; readonly schema: Located; readonly required: boolean }[];
  className: string;
  /** `<Name>Data`: the schema's own type when it already has that name. */
  dataTypeName: string;
  fieldsName: string;
};

export type RpcErrorRef = { readonly type: string; readonly builtin: boolean; readonly error: ErrorModel | undefined };

type SurfaceCommon = {
  readonly name: string;
  readonly owned: boolean;
  readonly contractId: string;
  /** Payload schemas unknown: an optional dependency whose manifest was not found. */
  readonly generic: boolean;
  group: string;
  leaf: string;
  readonly names: Map<string, string>;
};
export type RpcModel = SurfaceCommon & {
  readonly section: "rpc";
  readonly descriptor: RpcDescriptor;
  readonly input: SchemaDecl | undefined;
  readonly output: SchemaDecl | undefined;
  readonly errors: readonly RpcErrorRef[];
};
export type OperationModel = SurfaceCommon & {
  readonly section: "operations";
  readonly descriptor: OperationDescriptor;
  readonly input: SchemaDecl | undefined;
  readonly progress: SchemaDecl | undefined;
  readonly output: SchemaDecl | undefined;
  readonly signals: readonly { readonly name: string; readonly input: SchemaDecl | undefined }[];
};
export type EventModel = SurfaceCommon & {
  readonly section: "events";
  readonly descriptor: EventDescriptor;
  readonly event: SchemaDecl | undefined;
};
export type FeedModel = SurfaceCommon & {
  readonly section: "feeds";
  readonly descriptor: FeedDescriptor;
  readonly input: SchemaDecl | undefined;
  readonly event: SchemaDecl | undefined;
};
export type SurfaceModel = RpcModel | OperationModel | EventModel | FeedModel;

export type JobModel = {
  readonly queue: string;
  readonly declaration: JobQueue;
  readonly payload: SchemaDecl | undefined;
  readonly result: SchemaDecl | undefined;
  payloadName: string;
  resultName: string;
};
export type StateModel = {
  readonly store: string;
  readonly declaration: StateStore;
  readonly schema: SchemaDecl | undefined;
  readonly accepted: readonly { readonly version: string; readonly schema: SchemaDecl | undefined }[];
  typeName: string;
};
export type KvModel = {
  readonly alias: string;
  readonly resource: KvResource;
  readonly schema: SchemaDecl | undefined;
  typeName: string;
};

export interface SdkModel {
  readonly input: SdkInput;
  readonly id: string;
  readonly kind: ContractKind;
  readonly packageDir: string;
  readonly clientName: string;
  readonly schemas: SchemaSet;
  /** Own errors (the `errors` section), by key. */
  readonly errors: readonly ErrorModel[];
  /** Errors of dependencies that used RPCs declare. */
  readonly usedErrors: readonly ErrorModel[];
  readonly surfaces: readonly SurfaceModel[];
  readonly jobs: readonly JobModel[];
  readonly state: readonly StateModel[];
  readonly kv: readonly KvModel[];
  readonly diagnostics: Diagnostics;
  readonly warnings: readonly string[];
}

const BUILTIN_TYPES: ReadonlySet<string> = new Set(BUILTIN_ERROR_TYPES);

export function buildModel(input: SdkInput): SdkModel {
  const { manifest } = input;
  const id = manifest.id;
  const diagnostics = new Diagnostics();
  const warnings: string[] = [];
  const schemas = new SchemaSet(diagnostics);

  const jsonSchemas = (manifest.schemas ?? {}) as { readonly [key: string]: JsonValue };
  for (const key of sortedKeys(jsonSchemas)) {
    const schema = jsonSchemas[key]!;
    if (isSchema(schema)) schemas.add(id, key, schema, true);
  }
  const refOf = (provenance: string, ref: Ref | undefined, owner: NormalizedManifest): SchemaDecl | undefined => {
    if (ref === undefined) return undefined;
    if (provenance === id) return schemas.get(id, ref.schema);
    const schema = (owner.schemas as { readonly [key: string]: JsonValue } | undefined)?.[ref.schema];
    return schema !== undefined && isSchema(schema) ? schemas.add(provenance, ref.schema, schema, false) : undefined;
  };

  const errorsOf = new Map<string, Map<string, ErrorModel>>();
  const errorModels = (owner: NormalizedManifest): Map<string, ErrorModel> => {
    let byType = errorsOf.get(owner.id);
    if (byType !== undefined) return byType;
    byType = new Map();
    for (const key of sortedKeys(owner.errors ?? {})) {
      const declaration = owner.errors![key]!;
      const schema = refOf(owner.id, declaration.schema, owner);
      byType.set(declaration.type, {
        provenance: owner.id,
        key,
        type: declaration.type,
        schema,
        fields: errorFields(owner.id, key, schema, diagnostics),
        className: "",
        dataTypeName: "",
        fieldsName: "",
      });
    }
    errorsOf.set(owner.id, byType);
    return byType;
  };
  const ownErrors = errorModels(manifest);
  const usedErrors = new Map<ErrorModel, true>();
  const rpcErrors = (d: RpcDescriptor, owner: NormalizedManifest): RpcErrorRef[] => {
    const local = errorModels(owner);
    return [...new Set((d.errors ?? []).map((e) => e.type))].sort().map((type) => {
      const error = local.get(type);
      if (error !== undefined && owner.id !== id) usedErrors.set(error, true);
      return { type, builtin: error === undefined && BUILTIN_TYPES.has(type), error };
    });
  };

  const surfaces: SurfaceModel[] = [];
  const surfaceOf = (
    section: Section,
    name: string,
    owner: NormalizedManifest,
    owned: boolean,
  ): SurfaceModel | undefined => {
    const common = {
      name,
      owned,
      contractId: owner.id,
      generic: false,
      group: "",
      leaf: "",
      names: new Map<string, string>(),
    };
    switch (section) {
      case "rpc": {
        const d = owner.rpc?.[name];
        if (d === undefined) return undefined;
        return {
          ...common,
          section,
          descriptor: d,
          input: refOf(owner.id, d.input, owner),
          output: refOf(owner.id, d.output, owner),
          errors: rpcErrors(d, owner),
        };
      }
      case "operations": {
        const d = owner.operations?.[name];
        if (d === undefined) return undefined;
        const signals = sortedKeys(d.signals ?? {}).map((signal) => ({
          name: signal,
          input: refOf(owner.id, d.signals![signal]!.input, owner),
        }));
        return {
          ...common,
          section,
          descriptor: d,
          input: refOf(owner.id, d.input, owner),
          progress: refOf(owner.id, d.progress, owner),
          output: refOf(owner.id, d.output, owner),
          signals,
        };
      }
      case "events": {
        const d = owner.events?.[name];
        if (d === undefined) return undefined;
        return { ...common, section, descriptor: d, event: refOf(owner.id, d.event, owner) };
      }
      case "feeds": {
        const d = owner.feeds?.[name];
        if (d === undefined) return undefined;
        return {
          ...common,
          section,
          descriptor: d,
          input: refOf(owner.id, d.input, owner),
          event: refOf(owner.id, d.event, owner),
        };
      }
    }
  };

  for (const section of SECTIONS) {
    for (const name of sortedKeys(manifest[section] ?? {})) surfaces.push(surfaceOf(section, name, manifest, true)!);
  }
  addUsedSurfaces(input, surfaces, surfaceOf, diagnostics, warnings);

  const jobs: JobModel[] = sortedKeys(manifest.jobs ?? {}).map((queue) => {
    const q = manifest.jobs![queue]!;
    return {
      queue,
      declaration: q,
      payload: refOf(id, q.payload, manifest),
      result: refOf(id, q.result, manifest),
      payloadName: "",
      resultName: "",
    };
  });
  const state: StateModel[] = sortedKeys(manifest.state ?? {}).map((store) => {
    const declaration = manifest.state![store]!;
    const accepted = sortedKeys(declaration.acceptedVersions ?? {}).map((version) => ({
      version,
      schema: refOf(id, declaration.acceptedVersions![version], manifest),
    }));
    return { store, declaration, schema: refOf(id, declaration.schema, manifest), accepted, typeName: "" };
  });
  const kv: KvModel[] = sortedKeys(manifest.resources?.kv ?? {}).map((alias) => {
    const resource = manifest.resources!.kv![alias]!;
    return { alias, resource, schema: refOf(id, resource.schema, manifest), typeName: "" };
  });

  const model: SdkModel = {
    input,
    id,
    kind: manifest.kind,
    packageDir: packageDirOf(input.packageName),
    clientName: clientTypeName(id),
    schemas,
    errors: [...ownErrors.values()],
    usedErrors: [...usedErrors.keys()].sort((a, b) => compare(a.provenance, b.provenance) || compare(a.key, b.key)),
    surfaces,
    jobs,
    state,
    kv,
    diagnostics,
    warnings,
  };
  assignAccessors(model);
  assignNames(model);
  return model;
}

/**
 * `API.used`: the surfaces each `uses` entry selects from its contract's
 * manifest (events: publish ∪ subscribe). A missing required contract is a
 * problem; a missing optional one is a warning and its surfaces are generic.
 */
function addUsedSurfaces(
  input: SdkInput,
  surfaces: SurfaceModel[],
  surfaceOf: (section: Section, name: string, owner: NormalizedManifest, owned: boolean) => SurfaceModel | undefined,
  diagnostics: Diagnostics,
  warnings: string[],
): void {
  const { manifest } = input;
  const owned = new Map(surfaces.map((s) => [`${s.section}\u0000${s.name}`, s]));
  const used = new Map<string, SurfaceModel>();
  for (const group of ["required", "optional"] as const) {
    const uses = manifest.uses?.[group] ?? {};
    for (const alias of sortedKeys(uses)) {
      const use = uses[alias]!;
      const at = `/uses/${group}/${alias}`;
      const target = input.dependencies.get(use.contract);
      if (target === undefined) {
        if (group === "required") {
          diagnostics.problem(
            `${at}/contract`,
            `required contract '${use.contract}' was not found (the output root's manifests, installed SDK packages, built-ins)`,
          );
          continue;
        }
        warnings.push(`${at}: optional contract '${use.contract}' was not found; its surfaces get generic types`);
      }
      for (const [section, names] of selectedNames(use)) {
        for (const name of names) {
          const key = `${section}\u0000${name}`;
          const surface =
            target === undefined
              ? genericSurface(section, name, use.contract)
              : surfaceOf(section, name, target, false);
          if (surface === undefined) {
            const message = `'${name}' is not in ${section} of '${use.contract}'`;
            if (group === "required") diagnostics.problem(`${at}/${section}`, message);
            else warnings.push(`${at}/${section}: ${message}; left out`);
            continue;
          }
          const current = used.get(key);
          if (current !== undefined) {
            if (current.contractId !== surface.contractId) {
              diagnostics.problem(
                at,
                `${section} '${name}' is used from both '${current.contractId}' and '${surface.contractId}'`,
              );
            }
            continue;
          }
          if (owned.has(key)) {
            diagnostics.problem(
              `/${section}/${name}`,
              `'${name}' is both owned and used ('${use.contract}'); rename one of them`,
            );
            continue;
          }
          used.set(key, surface);
        }
      }
    }
  }
  for (const key of [...used.keys()].sort()) surfaces.push(used.get(key)!);
}

function selectedNames(use: Use): [Section, string[]][] {
  const events = [...new Set([...(use.events?.publish ?? []), ...(use.events?.subscribe ?? [])])].sort();
  return [
    ["rpc", [...(use.rpc?.call ?? [])].sort()],
    ["operations", [...(use.operations?.call ?? [])].sort()],
    ["events", events],
    ["feeds", [...(use.feeds?.subscribe ?? [])].sort()],
  ];
}

/** A surface of a missing optional contract: its default v1 subject (as authoring's pending baselines), no schemas. */
function genericSurface(section: Section, name: string, contractId: string): SurfaceModel {
  const common = {
    name,
    owned: false,
    contractId,
    generic: true,
    group: "",
    leaf: "",
    names: new Map<string, string>(),
  };
  const ref = { schema: "" };
  switch (section) {
    case "rpc":
      return {
        ...common,
        section,
        descriptor: { version: "v1", subject: `rpc.v1.${name}`, input: ref, output: ref },
        input: undefined,
        output: undefined,
        errors: [],
      };
    case "operations":
      return {
        ...common,
        section,
        descriptor: { version: "v1", subject: `operations.v1.${name}`, input: ref, output: ref },
        input: undefined,
        progress: undefined,
        output: undefined,
        signals: [],
      };
    case "events":
      return {
        ...common,
        section,
        descriptor: { version: "v1", subject: `events.v1.${name}`, event: ref },
        event: undefined,
      };
    case "feeds":
      return {
        ...common,
        section,
        descriptor: { version: "v1", subject: `feeds.v1.${name}`, input: ref, event: ref },
        input: undefined,
        event: undefined,
      };
  }
}

/**
 * The fields `defineError` needs: the error schema's properties minus the
 * envelope. Names the class could not carry are problems (defineError would
 * throw when the SDK is imported); other constraints of a hand-written error
 * schema are noted, since the rebuilt class validates with defineError's schema.
 */
function errorFields(
  provenance: string,
  key: string,
  decl: SchemaDecl | undefined,
  diagnostics: Diagnostics,
): ErrorModel["fields"] {
  if (decl === undefined) return [];
  const schema: Schema = decl.schema;
  if (typeof schema === "boolean" || !isSchema(schema.properties ?? {})) return [];
  const properties = (schema.properties ?? {}) as { readonly [name: string]: JsonValue };
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const fields: { name: string; schema: Located; required: boolean }[] = [];
  for (const name of sortedKeys(properties)) {
    if (RESERVED_ERROR_FIELDS.includes(name)) continue;
    const at = `${decl.pointer}/properties/${name}`;
    if (name in TrellisError.prototype || name === "stack") {
      diagnostics.problem(
        at,
        `error field '${name}' would shadow a member of the error class (errors.${key} of ${provenance})`,
      );
      continue;
    }
    const field = properties[name]!;
    if (isSchema(field)) fields.push({ name, schema: { schema: field, pointer: at }, required: required.has(name) });
  }
  const extra = Object.keys(schema).filter(
    (k) => !["type", "properties", "required", "title", "description"].includes(k),
  );
  if (extra.length > 0) {
    diagnostics.note(
      decl.pointer,
      `the rebuilt error class validates its fields only; ${extra.map((k) => `'${k}'`).join(", ")} of this error schema is not enforced on it`,
    );
  }
  return fields;
}

/** Accessors `<kind>.<group>.<leaf>`, leaves made unique per kind and group in sorted name order. */
function assignAccessors(model: SdkModel): void {
  const byGroup = new Map<string, [string, SurfaceModel][]>();
  for (const surface of model.surfaces) {
    const [group, leaf] = accessorPath(surface.name);
    surface.group = group;
    const key = `${ACCESSOR_KIND[surface.section]}\u0000${group}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), [leaf, surface]]);
  }
  for (const entries of byGroup.values()) {
    const unique = uniqueInSortedOrder(entries.map(([leaf, surface]) => [surface.name, leaf]));
    for (const [, surface] of entries) surface.leaf = unique.get(surface.name)!;
  }
}

/** Every generated identifier, through one allocator so that collisions get numeric suffixes in sorted order. */
function assignNames(model: SdkModel): void {
  const names = new NameAllocator([model.clientName]);
  const provenanceOrder = (provenance: string) => (provenance === model.id ? "0" : `1${provenance}`);
  const base = (decl: SchemaDecl) =>
    identifierPart(
      decl.own ? pascalCase(decl.key) : `${pascalCase(contractNamespace(decl.provenance))}${pascalCase(decl.key)}`,
    );
  for (const decl of model.schemas.all()) {
    const key = `1\u0000${provenanceOrder(decl.provenance)}\u0000${decl.key}`;
    names.request(`${key}\u0000type`, base(decl));
    names.request(`${key}\u0000value`, `${base(decl)}Schema`);
  }
  const errorKey = (e: ErrorModel) => `2\u0000${provenanceOrder(e.provenance)}\u0000${e.key}`;
  // `<Name>Data` is the error schema's own type when authoring named the schema that way.
  const dataIsSchema = new Map<ErrorModel, boolean>();
  for (const error of [...model.errors, ...model.usedErrors]) {
    const className = identifierPart(pascalCase(error.provenance === model.id ? error.key : error.type));
    names.request(`${errorKey(error)}\u0000class`, className);
    names.request(`${errorKey(error)}\u0000fields`, `${className}Fields`);
    const same = error.schema !== undefined && base(error.schema) === `${className}Data`;
    dataIsSchema.set(error, same);
    if (!same) names.request(`${errorKey(error)}\u0000data`, `${className}Data`);
  }
  for (const surface of model.surfaces) {
    const prefix = identifierPart(pascalCase(surface.name));
    const key = `3\u0000${surface.section}\u0000${surface.name}`;
    for (const [name, suffix] of surfaceTypeSuffixes(surface))
      names.request(`${key}\u0000${name}`, `${prefix}${suffix}`);
  }
  for (const job of model.jobs) {
    const prefix = identifierPart(pascalCase(job.queue));
    names.request(`4\u0000${job.queue}\u0000payload`, `${prefix}JobPayload`);
    names.request(`4\u0000${job.queue}\u0000result`, `${prefix}JobResult`);
  }
  for (const store of model.state)
    names.request(`5\u0000${store.store}`, `${identifierPart(pascalCase(store.store))}State`);
  for (const kv of model.kv) names.request(`6\u0000${kv.alias}`, `${identifierPart(pascalCase(kv.alias))}KvValue`);
  names.allocate();

  for (const decl of model.schemas.all()) {
    const key = `1\u0000${provenanceOrder(decl.provenance)}\u0000${decl.key}`;
    decl.typeName = names.name(`${key}\u0000type`);
    decl.constName = names.name(`${key}\u0000value`);
  }
  for (const error of [...model.errors, ...model.usedErrors]) {
    error.className = names.name(`${errorKey(error)}\u0000class`);
    error.fieldsName = names.name(`${errorKey(error)}\u0000fields`);
    error.dataTypeName = dataIsSchema.get(error) ? error.schema!.typeName : names.name(`${errorKey(error)}\u0000data`);
  }
  for (const surface of model.surfaces) {
    const key = `3\u0000${surface.section}\u0000${surface.name}`;
    for (const [name] of surfaceTypeSuffixes(surface)) surface.names.set(name, names.name(`${key}\u0000${name}`));
  }
  for (const job of model.jobs) {
    job.payloadName = names.name(`4\u0000${job.queue}\u0000payload`);
    job.resultName = names.name(`4\u0000${job.queue}\u0000result`);
  }
  for (const store of model.state) store.typeName = names.name(`5\u0000${store.store}`);
  for (const kv of model.kv) kv.typeName = names.name(`6\u0000${kv.alias}`);
}

/**
 * The type names a surface gets (tooling.md §2.2) as `[key, suffix]`: the
 * name is `<Pascal(surface)><suffix>`, looked up by key in `surface.names`.
 * `Handler` only for owned RPCs; one `<Signal>Signal` per operation signal.
 */
export function surfaceTypeSuffixes(surface: SurfaceModel): [key: string, suffix: string][] {
  const plain = (...suffixes: string[]): [string, string][] => suffixes.map((suffix) => [suffix, suffix]);
  switch (surface.section) {
    case "rpc":
      return surface.owned ? plain("Input", "Output", "Error", "Handler") : plain("Input", "Output", "Error");
    case "operations":
      return [
        ...plain("Input", "Progress", "Output"),
        ...surface.signals.map((signal): [string, string] => [
          `signal:${signal.name}`,
          `${identifierPart(pascalCase(signal.name))}Signal`,
        ]),
        ...plain("Signals", "Operation", "OperationRef", "Terminal"),
      ];
    case "events":
      return plain("Event");
    case "feeds":
      return plain("Input", "Event");
  }
}
