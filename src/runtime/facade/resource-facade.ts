import type {
  InferSurfaceSchema,
  KvResourceDescriptor,
  StateStoreDescriptor,
  StoreResourceDescriptor,
} from "../../contracts/index.ts";
import type { KvStore } from "../kv/kv-types.ts";
import type { MapState, ValueState } from "../state/state-types.ts";
import type { ObjectStore } from "../store/store-types.ts";

/**
 * Types of `service.kv`, `service.store` and `client.state`, from the
 * contract module's `RESOURCES` and `STATE` (`define*Contract` types them
 * from the body). A module without them (an SDK generated before them) gets
 * untyped handles by name, each possibly absent.
 */
type KvOf<C> = C extends { readonly RESOURCES: { readonly kv: infer K } }
  ? K
  : Untyped<KvResourceDescriptor<undefined, false>>;
type StoreOf<C> = C extends { readonly RESOURCES: { readonly store: infer S } }
  ? S
  : Untyped<StoreResourceDescriptor<false>>;
type StateOf<C> = C extends { readonly STATE: infer S } ? S : Untyped<StateStoreDescriptor<"value" | "map", undefined>>;
type Untyped<T> = { readonly [name: string]: T };

/** `required: false` makes a handle optional (runtime-wire.md §6). */
type Handle<TDescriptor, THandle> = TDescriptor extends { readonly required: false } ? THandle | undefined : THandle;

export type KvFacade<C> = {
  readonly [A in keyof KvOf<C>]: KvOf<C>[A] extends KvResourceDescriptor<infer S>
    ? Handle<KvOf<C>[A], KvStore<InferSurfaceSchema<S>>>
    : never;
};

export type StoreFacade<C> = { readonly [A in keyof StoreOf<C>]: Handle<StoreOf<C>[A], ObjectStore> };

export type StateFacade<C> = {
  readonly [S in keyof StateOf<C>]: StateOf<C>[S] extends { readonly kind: infer K; readonly schema: infer X }
    ? K extends "map"
      ? MapState<InferSurfaceSchema<X>>
      : K extends "value"
        ? ValueState<InferSurfaceSchema<X>>
        : ValueState<unknown> | MapState<unknown>
    : never;
};
