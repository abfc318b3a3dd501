import type { ContractKind } from "../manifest/types.ts";
import type {
  AsSurfaceGroups,
  ContractModule,
  EmptySurfaceGroups,
  EventSurface,
  FeedSurface,
  Flatten,
  Member,
  MergeSurfaceGroups,
  OperationSurface,
  RpcSurface,
  SurfaceGroups,
  SurfaceSection,
} from "./surface-types.ts";
import type { ErrorClassOf, ErrorTypeOf, SchemaMap, ValibotSchema } from "./types.ts";
import type { USE_RECORD_SURFACES } from "./use-record.ts";
import type { JobQueueDescriptor } from "./job-descriptors.ts";
import type { KvResourceDescriptor, StateStoreDescriptor, StoreResourceDescriptor } from "./resource-descriptors.ts";

/**
 * Type-level emission: the descriptor types a contract body declares, computed
 * the way the emitter computes the runtime values (default subjects, event
 * params, error types, selected and baseline uses).
 */

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

type Section<TBody, TKey extends string> =
  Member<TBody, TKey> extends infer TSection ? (TSection extends object ? TSection : {}) : {};

/** `API.owned` of a body. */
export type OwnedSurfaces<TSchemas, TErrors, TBody> = {
  readonly rpc: {
    readonly [N in keyof Section<TBody, "rpc"> & string]: OwnedRpc<TSchemas, TErrors, N, Section<TBody, "rpc">[N]>;
  };
  readonly operations: {
    readonly [N in keyof Section<TBody, "operations"> & string]: OwnedOperation<
      TSchemas,
      N,
      Section<TBody, "operations">[N]
    >;
  };
  readonly events: {
    readonly [N in keyof Section<TBody, "events"> & string]: OwnedEvent<TSchemas, N, Section<TBody, "events">[N]>;
  };
  readonly feeds: {
    readonly [N in keyof Section<TBody, "feeds"> & string]: OwnedFeed<TSchemas, N, Section<TBody, "feeds">[N]>;
  };
};

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;
type MergeUnion<U> = [U] extends [never] ? {} : Flatten<UnionToIntersection<U>>;

type UseRecordsOf<TBody> =
  Member<TBody, "uses"> extends infer TUses
    ? | Section<TUses, "required">[keyof Section<TUses, "required">]
      | Section<TUses, "optional">[keyof Section<TUses, "optional">]
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
type HealthBaseline = {
  readonly rpc: {};
  readonly operations: {};
  readonly events: { readonly "Health.Heartbeat": PendingEvent<"Health.Heartbeat"> };
  readonly feeds: {};
};
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
  AsSurfaceGroups<
    MergeSurfaceGroups<AsSurfaceGroups<HealthBaselineOf<TKind, TId>>, AsSurfaceGroups<AuthBaselineOf<TKind>>>
  >,
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

type RequiredFlag<TDeclaration> = TDeclaration extends { readonly required: false } ? false : true;
type KvSection<TBody> = Section<Member<TBody, "resources">, "kv">;
type StoreSection<TBody> = Section<Member<TBody, "resources">, "store">;
type StateSection<TBody> = Section<TBody, "state">;

/** `RESOURCES` of a body: each kv alias with its value schema, and whether it (and each store) may be absent. */
export type ResourcesOf<TSchemas, TBody> = {
  readonly kv: {
    readonly [A in keyof KvSection<TBody> & string]: KvResourceDescriptor<
      RefSchema<TSchemas, Member<KvSection<TBody>[A], "schema">>,
      RequiredFlag<KvSection<TBody>[A]>
    >;
  };
  readonly store: {
    readonly [A in keyof StoreSection<TBody> & string]: StoreResourceDescriptor<RequiredFlag<StoreSection<TBody>[A]>>;
  };
};

/** `STATE` of a body: each store's kind and value schema. */
export type StateOf<TSchemas, TBody> = {
  readonly [S in keyof StateSection<TBody> & string]: StateStoreDescriptor<
    Member<StateSection<TBody>[S], "kind"> extends infer TKind extends "value" | "map" ? TKind : "value" | "map",
    RefSchema<TSchemas, Member<StateSection<TBody>[S], "schema">>
  >;
};

type JobsSection<TBody> = Section<TBody, "jobs">;

/** `JOBS` of a body: each queue with its payload and result schemas (`undefined`: no result). */
export type JobsOf<TSchemas, TBody> = {
  readonly [Q in keyof JobsSection<TBody> & string]: JobQueueDescriptor<
    RefSchema<TSchemas, Member<JobsSection<TBody>[Q], "payload">>,
    RefSchema<TSchemas, Member<JobsSection<TBody>[Q], "result">>
  >;
};

/**
 * The module type `define*Contract` returns for a body. `RESOURCES`,
 * `STATE` (runtime-wire.md §6) and `JOBS` (jobs.md §6) are not members of `ContractModule`: an
 * index-signature member there would widen these exact key sets (and
 * modules made before them, older generated SDKs, have neither).
 */
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
> & {
  readonly RESOURCES: ResourcesOf<TSchemas, TBody>;
  readonly STATE: StateOf<TSchemas, TBody>;
  readonly JOBS: JobsOf<TSchemas, TBody>;
};
