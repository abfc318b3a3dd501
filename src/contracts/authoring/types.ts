import type * as v from "valibot";
import type { BuiltinErrorType } from "../errors/builtin.ts";
import type { UseRecord } from "./surface-types.ts";
import type { WireErrorClass } from "./define-error.ts";

/**
 * Input types of contract sources (contracts.md §7): what the first argument
 * and the body of `define*Contract` accept. The emitted manifest types live in
 * `../manifest/types.ts`; the typed module object in `surface-types.ts`.
 */

export type ValibotSchema = v.GenericSchema;
/** The `schemas` registry of a contract source: key → valibot schema. */
export type SchemaMap = { readonly [name: string]: ValibotSchema };
export type SchemaName<TSchemas> = keyof TSchemas & string;

/** `ref.schema(name)`: a manifest `Ref` whose name is a key of `schemas`. */
export interface SchemaRef<TName extends string = string> {
  readonly schema: TName;
}


/** A declared error bound to an explicit schema of the registry instead of its class schema. */
export interface ErrorBinding<TSchemaName extends string = string, TClass extends WireErrorClass = WireErrorClass> {
  readonly error: TClass;
  readonly schema: TSchemaName;
}
export type ErrorDeclaration<TSchemaName extends string = string> = WireErrorClass | ErrorBinding<TSchemaName>;
/** The `errors` registry of a service source: local key → error class (or binding). */
export type ErrorMap<TSchemaName extends string = string> = { readonly [key: string]: ErrorDeclaration<TSchemaName> };

export type ErrorClassOf<TDeclaration> =
  TDeclaration extends ErrorBinding<string, infer TClass>
    ? TClass
    : TDeclaration extends WireErrorClass
      ? TDeclaration
      : never;
/** A name `ref.error` accepts: a local error key or a built-in type. */
export type ErrorName<TErrors> = (keyof TErrors & string) | BuiltinErrorType;
/** The wire `type` an error name stands for. */
export type ErrorTypeOf<TErrors, TName> = TName extends keyof TErrors ? ErrorClassOf<TErrors[TName]>["type"] : TName;

/** The helper passed to a contract body. */
export interface ContractRef<TSchemas extends SchemaMap, TErrors = {}> {
  schema<TName extends SchemaName<TSchemas>>(name: TName): SchemaRef<TName>;
  error<TName extends ErrorName<TErrors>>(name: TName): TName;
}

export interface ServiceContractOptions<TSchemas extends SchemaMap, TErrors extends ErrorMap<SchemaName<TSchemas>>> {
  schemas?: TSchemas;
  errors?: TErrors;
}
export interface ClientContractOptions<TSchemas extends SchemaMap> {
  schemas?: TSchemas;
}

export interface DocsInput {
  summary?: string;
  markdown: string;
}
export interface CapabilityInput {
  displayName: string;
  description: string;
  consequence?: string;
}
/**
 * Capability list entries: declared local names, the platform's `admin` and
 * `service`, or full `<ns>::<local>` keys (checked at emission).
 */
export type CapabilityList = readonly string[];
export type SurfaceVersion = `v${number}`;

type Ref<TSchemas> = SchemaRef<SchemaName<TSchemas>>;

export interface RpcInput<TSchemas extends SchemaMap, TErrors> {
  version: SurfaceVersion;
  /** Defaults to `rpc.<version>.<Name>`. */
  subject?: string;
  input: Ref<TSchemas>;
  output: Ref<TSchemas>;
  capabilities?: { call?: CapabilityList };
  errors?: readonly ErrorName<TErrors>[];
  transfer?: { direction: "receive" };
  internal?: boolean;
  docs?: DocsInput;
}

export interface OperationInput<TSchemas extends SchemaMap> {
  version: SurfaceVersion;
  /** Defaults to `operations.<version>.<Name>`. */
  subject?: string;
  input: Ref<TSchemas>;
  progress?: Ref<TSchemas>;
  output: Ref<TSchemas>;
  capabilities?: { call?: CapabilityList; observe?: CapabilityList; cancel?: CapabilityList; control?: CapabilityList };
  signals?: { readonly [signal: string]: { input: Ref<TSchemas>; docs?: DocsInput } };
  cancel?: boolean;
  transfer?: {
    direction: "send";
    store: string;
    key: string;
    contentType?: string;
    metadata?: string;
    expiresInMs?: number;
    maxBytes?: number;
  };
  docs?: DocsInput;
}

export interface EventInput<TSchemas extends SchemaMap> {
  version: SurfaceVersion;
  /** Defaults to `events.<version>.<Name>` plus `.{<p>}` per param. */
  subject?: string;
  /** JSON Pointers into the event; derived from an explicit subject's tokens when omitted. */
  params?: readonly string[];
  event: Ref<TSchemas>;
  capabilities?: { publish?: CapabilityList; subscribe?: CapabilityList };
  docs?: DocsInput;
}

export interface FeedInput<TSchemas extends SchemaMap> {
  version: SurfaceVersion;
  /** Defaults to `feeds.<version>.<Name>`. */
  subject?: string;
  input: Ref<TSchemas>;
  event: Ref<TSchemas>;
  capabilities?: { subscribe?: CapabilityList };
  docs?: DocsInput;
}

export interface JobInput<TSchemas extends SchemaMap> {
  payload: Ref<TSchemas>;
  result?: Ref<TSchemas>;
  maxDeliver?: number;
  backoffMs?: readonly number[];
  ackWaitMs?: number;
  defaultDeadlineMs?: number;
  progress?: boolean;
  logs?: boolean;
  dlq?: boolean;
  concurrency?: number;
  docs?: DocsInput;
}

export interface StateInput<TSchemas extends SchemaMap> {
  kind: "value" | "map";
  schema: Ref<TSchemas>;
  stateVersion?: string;
  acceptedVersions?: { readonly [version: string]: Ref<TSchemas> };
  docs?: DocsInput;
}

export interface EventConsumerInput {
  uses?: { readonly [alias: string]: readonly string[] };
  self?: readonly string[];
  replay?: "new" | "all";
  ordering?: "strict";
  concurrency?: number;
  ackWaitMs?: number;
  maxDeliver?: number;
  backoffMs?: readonly number[];
  docs?: DocsInput;
}

/** kv/store resources; omitted `required`/`history`/`ttlMs` are written with the runtime defaults. */
export interface KvInput<TSchemas extends SchemaMap> {
  purpose: string;
  schema: Ref<TSchemas>;
  required?: boolean;
  history?: number;
  ttlMs?: number;
  maxValueBytes?: number;
  docs?: DocsInput;
}
export interface StoreInput {
  purpose: string;
  required?: boolean;
  ttlMs?: number;
  maxObjectBytes?: number;
  maxTotalBytes?: number;
  docs?: DocsInput;
}

/** `uses` values come only from `<module>.use(spec)`. */
export interface UsesInput {
  required?: { readonly [alias: string]: UseRecord };
  optional?: { readonly [alias: string]: UseRecord };
}

/** Members every contract body may hold. `kind` comes from the helper; `schemas`/`errors` from the first argument. */
export interface CommonBody<TSchemas extends SchemaMap> {
  id: string;
  displayName: string;
  description: string;
  docs?: DocsInput;
  /** Keyed by local name; emitted as `<NS(id)>::<local>`. */
  capabilities?: { readonly [local: string]: CapabilityInput };
  exports?: { schemas?: readonly SchemaName<TSchemas>[] };
  uses?: UsesInput;
  state?: { readonly [store: string]: StateInput<TSchemas> };
  eventConsumers?: { readonly [group: string]: EventConsumerInput };
  format?: never;
  kind?: never;
  schemas?: never;
  errors?: never;
}

export interface ServiceBody<TSchemas extends SchemaMap, TErrors> extends CommonBody<TSchemas> {
  rpc?: { readonly [name: string]: RpcInput<TSchemas, TErrors> };
  operations?: { readonly [name: string]: OperationInput<TSchemas> };
  events?: { readonly [name: string]: EventInput<TSchemas> };
  feeds?: { readonly [name: string]: FeedInput<TSchemas> };
  jobs?: { readonly [queue: string]: JobInput<TSchemas> };
  resources?: {
    kv?: { readonly [alias: string]: KvInput<TSchemas> };
    store?: { readonly [alias: string]: StoreInput };
  };
}

/** App, agent and device contracts are callers: they own no surfaces, jobs or resources. */
export interface ClientBody<TSchemas extends SchemaMap> extends CommonBody<TSchemas> {
  rpc?: never;
  operations?: never;
  events?: never;
  feeds?: never;
  jobs?: never;
  resources?: never;
}

/** The body shape the emitter reads: the union of both, without the type-level guards. */
export type AnyContractBody = ServiceBody<SchemaMap, ErrorMap>;
