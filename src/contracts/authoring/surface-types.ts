import type * as v from "valibot";
import type { ContractKind, NormalizedManifest, OperationTransfer } from "../manifest/types.ts";
import type { WireErrorClass } from "./define-error.ts";
import type { USE_RECORD_SURFACES } from "./use-record.ts";
import type { SchemaMap, ValibotSchema } from "./types.ts";

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
export type AsSurfaceGroups<T> = T extends SurfaceGroups ? T : never;

/** `owned` (mountable handlers) and `used` (remote and baseline surfaces) merge into `trellis`. */
export interface ContractApi<
  TOwned extends SurfaceGroups = SurfaceGroups,
  TUsed extends SurfaceGroups = SurfaceGroups,
> {
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

/** `T[K]` when `T` has `K`, else `undefined` (absent optional members). */
export type Member<T, K extends string> = K extends keyof T ? T[K] : undefined;
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
