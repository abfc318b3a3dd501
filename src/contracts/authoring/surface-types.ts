import type * as v from "valibot";
import type { ContractKind, NormalizedManifest, OperationTransfer } from "../manifest/types.ts";
import type { WireErrorClass } from "./define-error.ts";
import type { USE_RECORD_SURFACES } from "./use-record.ts";
import type { ErrorClassOf, ErrorTypeOf, SchemaMap, ValibotSchema } from "./types.ts";

/**
 * The typed contract module object (contracts.md §7) and its surface
 * descriptors. Everything here is computed from the source's static types, so
 * the runtime and generated SDKs can infer payload types per surface name:
 * `v.InferOutput<typeof notes.API.owned.rpc["Notes.Get"]["input"]>`.
 */

/**
 * A surface's payload schema. `undefined` marks a surface whose contract
 * source is not loaded here (the baseline `trellis.*` uses until those
 * contracts exist): callers then see `unknown` payloads.
 */
export type SurfaceSchema = ValibotSchema | undefined;
export type ErrorClassRegistry = { readonly [type: string]: WireErrorClass };
export type SignalSchemas = { readonly [signal: string]: SurfaceSchema };

interface SurfaceIdentity<TKind extends string, TName extends string, TSubject extends string> {
  readonly kind: TKind;
  readonly contractId: string;
  readonly name: TName;
  /** The manifest subject, verbatim (templates keep their `{<pointer>}` tokens). */
  readonly subject: TSubject;
}

export interface RpcSurface<
  TName extends string = string,
  TSubject extends string = string,
  TInput extends SurfaceSchema = SurfaceSchema,
  TOutput extends SurfaceSchema = SurfaceSchema,
  TErrorType extends string = string,
  TErrorClasses extends ErrorClassRegistry = ErrorClassRegistry,
> extends SurfaceIdentity<"rpc", TName, TSubject> {
  readonly capabilities: { readonly call?: readonly string[] };
  readonly input: TInput;
  readonly output: TOutput;
  /** Declared wire error types (local and built-in). */
  readonly errors: readonly TErrorType[];
  /** Classes of the declared local errors, by wire type, to rebuild them from wire data. */
  readonly errorClasses: TErrorClasses;
}

export interface OperationSurface<
  TName extends string = string,
  TSubject extends string = string,
  TInput extends SurfaceSchema = SurfaceSchema,
  TProgress extends SurfaceSchema = SurfaceSchema,
  TOutput extends SurfaceSchema = SurfaceSchema,
  TSignals extends SignalSchemas = SignalSchemas,
> extends SurfaceIdentity<"operation", TName, TSubject> {
  readonly controlSubject: `${TSubject}.control`;
  readonly capabilities: {
    readonly call?: readonly string[];
    readonly observe?: readonly string[];
    readonly cancel?: readonly string[];
    readonly control?: readonly string[];
  };
  readonly input: TInput;
  /** `undefined` when the operation reports no progress. */
  readonly progress: TProgress;
  readonly output: TOutput;
  readonly signals: TSignals;
  readonly cancel: boolean;
  readonly transfer: OperationTransfer | undefined;
}

export interface EventSurface<
  TName extends string = string,
  TSubject extends string = string,
  TParams extends readonly string[] = readonly string[],
  TEvent extends SurfaceSchema = SurfaceSchema,
> extends SurfaceIdentity<"event", TName, TSubject> {
  readonly params: TParams;
  readonly event: TEvent;
  readonly capabilities: { readonly publish?: readonly string[]; readonly subscribe?: readonly string[] };
}

export interface FeedSurface<
  TName extends string = string,
  TSubject extends string = string,
  TInput extends SurfaceSchema = SurfaceSchema,
  TEvent extends SurfaceSchema = SurfaceSchema,
> extends SurfaceIdentity<"feed", TName, TSubject> {
  readonly input: TInput;
  readonly event: TEvent;
  readonly capabilities: { readonly subscribe?: readonly string[] };
}

export type AnySurface = RpcSurface | OperationSurface | EventSurface | FeedSurface;

/** Surfaces by manifest section, then by name (names are unique per section only). */
export interface SurfaceGroups {
  readonly rpc: { readonly [name: string]: RpcSurface };
  readonly operations: { readonly [name: string]: OperationSurface };
  readonly events: { readonly [name: string]: EventSurface };
  readonly feeds: { readonly [name: string]: FeedSurface };
}
export type SurfaceSection = keyof SurfaceGroups;
export type EmptySurfaceGroups = { readonly rpc: {}; readonly operations: {}; readonly events: {}; readonly feeds: {} };

export type MergeSurfaceGroups<TLeft extends SurfaceGroups, TRight extends SurfaceGroups> = {
  readonly [S in SurfaceSection]: Flatten<TLeft[S] & TRight[S]>;
};
/** Re-asserts a computed groups type (conditional types hide that they satisfy the constraint). */
type AsSurfaceGroups<T> = T extends SurfaceGroups ? T : never;

/** `owned` (mountable handlers) and `used` (remote and baseline surfaces) merge into `trellis`. */
export interface ContractApi<TOwned extends SurfaceGroups = SurfaceGroups, TUsed extends SurfaceGroups = SurfaceGroups> {
  readonly owned: TOwned;
  readonly used: TUsed;
  readonly trellis: MergeSurfaceGroups<TOwned, TUsed>;
}

/** What `<module>.use(spec)` accepts: owned surface names of that module, per section. */
export interface UseSpec<TOwned extends SurfaceGroups = SurfaceGroups> {
  rpc?: { call?: readonly (keyof TOwned["rpc"] & string)[] };
  operations?: { call?: readonly (keyof TOwned["operations"] & string)[] };
  events?: {
    publish?: readonly (keyof TOwned["events"] & string)[];
    subscribe?: readonly (keyof TOwned["events"] & string)[];
  };
  feeds?: { subscribe?: readonly (keyof TOwned["feeds"] & string)[] };
}

/**
 * A `uses` value: the manifest `Use` (contract id and SU'd lists) plus the
 * selected descriptors of the target, kept under a non-enumerable symbol.
 */
export interface UseRecord<TContract extends string = string, TSurfaces extends SurfaceGroups = SurfaceGroups> {
  readonly contract: TContract;
  readonly rpc?: { readonly call?: readonly string[] };
  readonly operations?: { readonly call?: readonly string[] };
  readonly events?: { readonly publish?: readonly string[]; readonly subscribe?: readonly string[] };
  readonly feeds?: { readonly subscribe?: readonly string[] };
  readonly [USE_RECORD_SURFACES]: TSurfaces;
}

type Member<T, K extends string> = K extends keyof T ? T[K] : undefined;
type Listed<TSpec, TSection extends string, TList extends string> =
  Member<Member<TSpec, TSection>, TList> extends readonly (infer TName)[] ? TName & string : never;

/** The target descriptors a spec selects (events: publish ∪ subscribe). */
export type SelectedSurfaces<TOwned extends SurfaceGroups, TSpec> = {
  readonly rpc: Pick<TOwned["rpc"], Listed<TSpec, "rpc", "call"> & keyof TOwned["rpc"]>;
  readonly operations: Pick<TOwned["operations"], Listed<TSpec, "operations", "call"> & keyof TOwned["operations"]>;
  readonly events: Pick<
    TOwned["events"],
    (Listed<TSpec, "events", "publish"> | Listed<TSpec, "events", "subscribe">) & keyof TOwned["events"]
  >;
  readonly feeds: Pick<TOwned["feeds"], Listed<TSpec, "feeds", "subscribe"> & keyof TOwned["feeds"]>;
};

/**
 * The object a contract source default-exports. `CONTRACT` is the normalized
 * manifest exactly as `loadManifest` yields it from the emitted JSON, so the
 * TS source and its JSON artifact share `CONTRACT_DIGEST`.
 */
export interface ContractModule<
  TId extends string = string,
  TKind extends ContractKind = ContractKind,
  TSchemas extends SchemaMap = SchemaMap,
  TErrorClasses extends { readonly [key: string]: WireErrorClass } = { readonly [key: string]: WireErrorClass },
  TOwned extends SurfaceGroups = SurfaceGroups,
  TUsed extends SurfaceGroups = SurfaceGroups,
> {
  readonly CONTRACT_ID: TId;
  readonly CONTRACT_KIND: TKind;
  readonly CONTRACT: NormalizedManifest;
  readonly CONTRACT_DIGEST: string;
  /** The source's valibot schemas (without the generated error data entries). */
  readonly SCHEMAS: TSchemas;
  /** The declared error classes by local key. */
  readonly ERRORS: TErrorClasses;
  readonly API: ContractApi<TOwned, TUsed>;
  /** Selects owned surfaces for another contract's `uses`; unknown names fail in the types and at runtime. */
  use<const TSpec extends UseSpec<TOwned>>(spec: TSpec): UseRecord<TId, SelectedSurfaces<TOwned, TSpec>>;
}

/** Payload types of a descriptor; `unknown` where the schema is not loaded. */
export type InferSurfaceSchema<TSchema> = TSchema extends ValibotSchema ? v.InferOutput<TSchema> : unknown;
export type SurfaceInput<TSurface extends { readonly input: SurfaceSchema }> = InferSurfaceSchema<TSurface["input"]>;
export type SurfaceOutput<TSurface extends { readonly output: SurfaceSchema }> = InferSurfaceSchema<TSurface["output"]>;
export type SurfaceEvent<TSurface extends { readonly event: SurfaceSchema }> = InferSurfaceSchema<TSurface["event"]>;
export type SurfaceProgress<TSurface extends { readonly progress: SurfaceSchema }> = InferSurfaceSchema<
  TSurface["progress"]
>;

export type Flatten<T> = { [K in keyof T]: T[K] } & {};

// ---- Type-level emission: the descriptors a body declares. ----

type RefSchema<TSchemas, TRef> = TRef extends { readonly schema: infer TName }
  ? TName extends keyof TSchemas
    ? Extract<TSchemas[TName], ValibotSchema>
    : never
  : undefined;

type ListItem<TList> = TList extends readonly (infer TItem)[] ? TItem : never;

/** Pointers of the `{<pointer>}` tokens of a subject, in order. */
export type SubjectParams<TSubject extends string> = TSubject extends `${string}{${infer TParam}}${infer TRest}`
  ? [TParam, ...SubjectParams<TRest>]
  : [];
type ParamTokens<TParams> = TParams extends readonly [infer THead extends string, ...infer TTail]
  ? `.{${THead}}${ParamTokens<TTail>}`
  : TParams extends readonly []
    ? ""
    : string;

/** §1 default subjects, or the explicit one. */
type SurfaceSubject<TPrefix extends string, TName extends string, TSurface> = TSurface extends {
  readonly subject: infer TSubject extends string;
}
  ? TSubject
  : TSurface extends { readonly version: infer TVersion extends string }
    ? `${TPrefix}.${TVersion}.${TName}`
    : string;

type EventParams<TSurface> = TSurface extends { readonly params: infer TParams extends readonly string[] }
  ? TParams
  : TSurface extends { readonly subject: infer TSubject extends string }
    ? SubjectParams<TSubject>
    : [];

type EventSubject<TName extends string, TSurface> = TSurface extends { readonly subject: infer TSubject extends string }
  ? TSubject
  : TSurface extends { readonly version: infer TVersion extends string }
    ? `events.${TVersion}.${TName}${ParamTokens<EventParams<TSurface>>}`
    : string;

type RpcErrorNames<TSurface> = ListItem<Member<TSurface, "errors">>;
type RpcErrorClasses<TErrors, TNames> = {
  readonly [TName in TNames & keyof TErrors as ErrorTypeOf<TErrors, TName> & string]: ErrorClassOf<TErrors[TName]>;
};

type OwnedRpc<TSchemas, TErrors, TName extends string, TSurface> = RpcSurface<
  TName,
  SurfaceSubject<"rpc", TName, TSurface>,
  RefSchema<TSchemas, Member<TSurface, "input">>,
  RefSchema<TSchemas, Member<TSurface, "output">>,
  ErrorTypeOf<TErrors, RpcErrorNames<TSurface>> & string,
  RpcErrorClasses<TErrors, RpcErrorNames<TSurface>>
>;

type OperationSignals<TSchemas, TSurface> =
  Member<TSurface, "signals"> extends infer TSignals
    ? TSignals extends object
      ? { readonly [TSignal in keyof TSignals & string]: RefSchema<TSchemas, Member<TSignals[TSignal], "input">> }
      : {}
    : {};

type OwnedOperation<TSchemas, TName extends string, TSurface> = OperationSurface<
  TName,
  SurfaceSubject<"operations", TName, TSurface>,
  RefSchema<TSchemas, Member<TSurface, "input">>,
  RefSchema<TSchemas, Member<TSurface, "progress">>,
  RefSchema<TSchemas, Member<TSurface, "output">>,
  OperationSignals<TSchemas, TSurface>
>;

type OwnedEvent<TSchemas, TName extends string, TSurface> = EventSurface<
  TName,
  EventSubject<TName, TSurface>,
  EventParams<TSurface>,
  RefSchema<TSchemas, Member<TSurface, "event">>
>;

type OwnedFeed<TSchemas, TName extends string, TSurface> = FeedSurface<
  TName,
  SurfaceSubject<"feeds", TName, TSurface>,
  RefSchema<TSchemas, Member<TSurface, "input">>,
  RefSchema<TSchemas, Member<TSurface, "event">>
>;

type Section<TBody, TKey extends string> = Member<TBody, TKey> extends infer TSection
  ? TSection extends object
    ? TSection
    : {}
  : {};

/** `API.owned` of a body. */
export type OwnedSurfaces<TSchemas, TErrors, TBody> = {
  readonly rpc: { readonly [N in keyof Section<TBody, "rpc"> & string]: OwnedRpc<TSchemas, TErrors, N, Section<TBody, "rpc">[N]> };
  readonly operations: {
    readonly [N in keyof Section<TBody, "operations"> & string]: OwnedOperation<TSchemas, N, Section<TBody, "operations">[N]>;
  };
  readonly events: { readonly [N in keyof Section<TBody, "events"> & string]: OwnedEvent<TSchemas, N, Section<TBody, "events">[N]> };
  readonly feeds: { readonly [N in keyof Section<TBody, "feeds"> & string]: OwnedFeed<TSchemas, N, Section<TBody, "feeds">[N]> };
};

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;
type MergeUnion<U> = [U] extends [never] ? {} : Flatten<UnionToIntersection<U>>;

type UseRecordsOf<TBody> =
  Member<TBody, "uses"> extends infer TUses
    ? Section<TUses, "required">[keyof Section<TUses, "required">] | Section<TUses, "optional">[keyof Section<TUses, "optional">]
    : never;
type UsedSection<TBody, TSection extends SurfaceSection> = MergeUnion<
  UseRecordsOf<TBody> extends infer TRecord
    ? TRecord extends { readonly [USE_RECORD_SURFACES]: infer TSurfaces extends SurfaceGroups }
      ? TSurfaces[TSection]
      : never
    : never
>;
type UsedFromUses<TBody> = { readonly [S in SurfaceSection]: UsedSection<TBody, S> };

// Baseline surfaces (§5). Their contracts are not sources yet, so the
// descriptors carry name and (default) subject but no schemas; see baseline-uses.ts.
type PendingRpc<TName extends string> = RpcSurface<TName, `rpc.v1.${TName}`, undefined, undefined, string, {}>;
type PendingEvent<TName extends string> = EventSurface<TName, `events.v1.${TName}`, [], undefined>;
type HealthBaseline = { readonly rpc: {}; readonly operations: {}; readonly events: { readonly "Health.Heartbeat": PendingEvent<"Health.Heartbeat"> }; readonly feeds: {} };
type AuthBaseline = {
  readonly rpc: {
    readonly "Auth.Sessions.Logout": PendingRpc<"Auth.Sessions.Logout">;
    readonly "Auth.Sessions.Me": PendingRpc<"Auth.Sessions.Me">;
  };
  readonly operations: {};
  readonly events: {};
  readonly feeds: {};
};
type StateBaseline = {
  readonly rpc: {
    readonly "State.Delete": PendingRpc<"State.Delete">;
    readonly "State.Get": PendingRpc<"State.Get">;
    readonly "State.List": PendingRpc<"State.List">;
    readonly "State.Put": PendingRpc<"State.Put">;
  };
  readonly operations: {};
  readonly events: {};
  readonly feeds: {};
};
type DeclaresState<TBody> = keyof Section<TBody, "state"> extends never ? false : true;

type HealthBaselineOf<TKind, TId> = TKind extends "service" | "device"
  ? TId extends "trellis.health@v1"
    ? EmptySurfaceGroups
    : HealthBaseline
  : EmptySurfaceGroups;
type AuthBaselineOf<TKind> = TKind extends "app" | "agent" | "device" ? AuthBaseline : EmptySurfaceGroups;
type StateBaselineOf<TBody> = DeclaresState<TBody> extends true ? StateBaseline : EmptySurfaceGroups;

export type BaselineSurfaces<TKind extends ContractKind, TId extends string, TBody> = MergeSurfaceGroups<
  AsSurfaceGroups<MergeSurfaceGroups<AsSurfaceGroups<HealthBaselineOf<TKind, TId>>, AsSurfaceGroups<AuthBaselineOf<TKind>>>>,
  AsSurfaceGroups<StateBaselineOf<TBody>>
>;

/**
 * `API.used` of a body: the surfaces its `use(...)` records select, plus the
 * baselines; a record's descriptor wins over the pending baseline one of the
 * same name (as at runtime).
 */
export type UsedSurfaces<TKind extends ContractKind, TId extends string, TBody> = {
  readonly [S in SurfaceSection]: Flatten<
    UsedFromUses<TBody>[S] & Omit<BaselineSurfaces<TKind, TId, TBody>[S], keyof UsedFromUses<TBody>[S]>
  >;
};

export type ErrorClassesOf<TErrors> = { readonly [K in keyof TErrors & string]: ErrorClassOf<TErrors[K]> };

/** The module type `define*Contract` returns for a body. */
export type ContractModuleOf<
  TKind extends ContractKind,
  TSchemas extends SchemaMap,
  TErrors,
  TBody extends { readonly id: string },
> = ContractModule<
  TBody["id"],
  TKind,
  TSchemas,
  ErrorClassesOf<TErrors>,
  AsSurfaceGroups<OwnedSurfaces<TSchemas, TErrors, TBody>>,
  AsSurfaceGroups<UsedSurfaces<TKind, TBody["id"], TBody>>
>;
