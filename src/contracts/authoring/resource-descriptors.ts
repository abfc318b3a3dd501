import { RUNTIME_DEFAULTS, type NormalizedManifest } from "../manifest/types.ts";
import type { SurfaceSchema } from "./surface-types.ts";

/**
 * What the runtime needs of a contract's non-surface declarations, with
 * their valibot schemas: kv and store resources (runtime-wire.md §6, handles
 * `service.kv.<alias>` / `service.store.<alias>`) and state stores (handles
 * `client.state.<store>`). A source module and a generated SDK both carry
 * them (`RESOURCES`, `STATE`), so handles are typed from the contract. A
 * schema is `undefined` where the module has no valibot schema for it.
 */
export interface KvResourceDescriptor<
  TSchema extends SurfaceSchema = SurfaceSchema,
  TRequired extends boolean = boolean,
> {
  readonly schema: TSchema;
  /** `false`: the handle may be `undefined` (the binding is optional). */
  readonly required: TRequired;
}

export interface StoreResourceDescriptor<TRequired extends boolean = boolean> {
  readonly required: TRequired;
}

export interface ResourceDescriptors {
  readonly kv: { readonly [alias: string]: KvResourceDescriptor };
  readonly store: { readonly [alias: string]: StoreResourceDescriptor };
}

/** The same shape as a generated SDK's `STATE` entries. */
export interface StateStoreDescriptor<
  TKind extends "value" | "map" = "value" | "map",
  TSchema extends SurfaceSchema = SurfaceSchema,
> {
  readonly kind: TKind;
  readonly schema: TSchema;
  readonly stateVersion: string;
  readonly acceptedVersions: { readonly [version: string]: SurfaceSchema };
}

export type StateDescriptors = { readonly [store: string]: StateStoreDescriptor };

type SchemaLookup = { readonly [name: string]: unknown };
const schemaOf = (schemas: SchemaLookup, name: string): SurfaceSchema => schemas[name] as SurfaceSchema;

export function resourceDescriptors(manifest: NormalizedManifest, schemas: SchemaLookup): ResourceDescriptors {
  const kv = Object.entries(manifest.resources?.kv ?? {}).map(([alias, declaration]) => [
    alias,
    Object.freeze({
      schema: schemaOf(schemas, declaration.schema.schema),
      required: declaration.required ?? RUNTIME_DEFAULTS.kv.required,
    }),
  ]);
  const store = Object.entries(manifest.resources?.store ?? {}).map(([alias, declaration]) => [
    alias,
    Object.freeze({ required: declaration.required ?? RUNTIME_DEFAULTS.store.required }),
  ]);
  return Object.freeze({ kv: Object.freeze(Object.fromEntries(kv)), store: Object.freeze(Object.fromEntries(store)) });
}

export function stateDescriptors(manifest: NormalizedManifest, schemas: SchemaLookup): StateDescriptors {
  const stores = Object.entries(manifest.state ?? {}).map(([name, declaration]) => [
    name,
    Object.freeze({
      kind: declaration.kind,
      schema: schemaOf(schemas, declaration.schema.schema),
      stateVersion: declaration.stateVersion ?? RUNTIME_DEFAULTS.stateVersion,
      acceptedVersions: Object.freeze(
        Object.fromEntries(
          Object.entries(declaration.acceptedVersions ?? {}).map(([version, ref]) => [
            version,
            schemaOf(schemas, ref.schema),
          ]),
        ),
      ),
    }),
  ]);
  return Object.freeze(Object.fromEntries(stores));
}
