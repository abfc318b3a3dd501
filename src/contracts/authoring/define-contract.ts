import type { ContractKind } from "../manifest/types.ts";
import { ContractDefinitionError, IssueCollector } from "./contract-definition-error.ts";
import { contractApi, ownedSurfaces, usedSurfaces } from "./descriptors.ts";
import { emitContract } from "./emit-manifest.ts";
import { isPlainObject } from "./emit-context.ts";
import { loadManifest } from "../manifest/load.ts";
import type { ContractModuleOf } from "./derived-types.ts";
import type { ContractModule } from "./surface-types.ts";
import type {
  ClientBody,
  ClientContractOptions,
  ContractRef,
  ErrorMap,
  SchemaMap,
  SchemaName,
  ServiceBody,
  ServiceContractOptions,
} from "./types.ts";
import { createUseRecord } from "./use.ts";
import { jobDescriptors, type JobDescriptors } from "./job-descriptors.ts";
import {
  resourceDescriptors,
  stateDescriptors,
  type ResourceDescriptors,
  type StateDescriptors,
} from "./resource-descriptors.ts";

/**
 * Defines a service contract (contracts.md §7). The first argument holds the
 * valibot `schemas` and the `errors` classes; the body gets `ref` for typed
 * references. Throws ContractDefinitionError on an invalid source.
 */
export function defineServiceContract<
  const TSchemas extends SchemaMap = {},
  const TErrors extends ErrorMap<SchemaName<TSchemas>> = {},
  const TBody extends ServiceBody<TSchemas, TErrors> = ServiceBody<TSchemas, TErrors>,
>(
  options: ServiceContractOptions<TSchemas, TErrors>,
  build: (ref: ContractRef<TSchemas, TErrors>) => TBody,
): ContractModuleOf<"service", TSchemas, TErrors, TBody> {
  return defineContract("service", options, build, ["schemas", "errors"]) as never;
}

export function defineAppContract<const TBody extends ClientBody<{}>>(
  build: (ref: ContractRef<{}>) => TBody,
): ContractModuleOf<"app", {}, {}, TBody>;
export function defineAppContract<const TSchemas extends SchemaMap, const TBody extends ClientBody<TSchemas>>(
  options: ClientContractOptions<TSchemas>,
  build: (ref: ContractRef<TSchemas>) => TBody,
): ContractModuleOf<"app", TSchemas, {}, TBody>;
export function defineAppContract(...args: ClientArgs): ContractModule {
  return defineClientContract("app", args);
}

export function defineAgentContract<const TBody extends ClientBody<{}>>(
  build: (ref: ContractRef<{}>) => TBody,
): ContractModuleOf<"agent", {}, {}, TBody>;
export function defineAgentContract<const TSchemas extends SchemaMap, const TBody extends ClientBody<TSchemas>>(
  options: ClientContractOptions<TSchemas>,
  build: (ref: ContractRef<TSchemas>) => TBody,
): ContractModuleOf<"agent", TSchemas, {}, TBody>;
export function defineAgentContract(...args: ClientArgs): ContractModule {
  return defineClientContract("agent", args);
}

export function defineDeviceContract<const TBody extends ClientBody<{}>>(
  build: (ref: ContractRef<{}>) => TBody,
): ContractModuleOf<"device", {}, {}, TBody>;
export function defineDeviceContract<const TSchemas extends SchemaMap, const TBody extends ClientBody<TSchemas>>(
  options: ClientContractOptions<TSchemas>,
  build: (ref: ContractRef<TSchemas>) => TBody,
): ContractModuleOf<"device", TSchemas, {}, TBody>;
export function defineDeviceContract(...args: ClientArgs): ContractModule {
  return defineClientContract("device", args);
}

type Build = (ref: ContractRef<SchemaMap, ErrorMap>) => unknown;
type ClientArgs = [build: Build] | [options: ClientContractOptions<SchemaMap>, build: Build];

function defineClientContract(kind: ContractKind, args: ClientArgs): ContractModule {
  const [options, build] = args.length === 1 ? [{}, args[0]] : args;
  return defineContract(kind, options, build, ["schemas"]);
}

/** ref.schema / ref.error only shape values; emission checks the names. */
const REF = Object.freeze({
  schema: <TName extends string>(name: TName) => ({ schema: name }),
  error: <TName extends string>(name: TName) => name,
}) as ContractRef<SchemaMap, ErrorMap>;

function defineContract(
  kind: ContractKind,
  options: unknown,
  build: unknown,
  optionKeys: readonly string[],
): ContractModule {
  checkOptions(kind, options, optionKeys);
  if (typeof build !== "function")
    throw new ContractDefinitionError([
      { path: "", message: "the contract body must be a function (ref) => ({ ... })" },
    ]);
  const { schemas = {}, errors } = options as { schemas?: SchemaMap; errors?: unknown };

  const emitted = emitContract({ kind, body: (build as Build)(REF), schemas, errors });
  // The emitted JSON goes through the same pipeline as a JSON artifact, so both give one digest.
  const loaded = loadManifest(emitted.manifest);
  if (loaded.isErr()) throw new ContractDefinitionError(loaded.error.issues, `contract '${emitted.id}'`);
  const { manifest, digest } = loaded.value;
  deepFreeze(manifest);

  const issues = new IssueCollector();
  const owned = ownedSurfaces(manifest, schemas, emitted.errorClasses.values());
  const api = contractApi(owned, usedSurfaces(emitted.usedSources, issues), issues);
  issues.throwIfAny(`contract '${emitted.id}'`);

  const contractModule: ContractModule & {
    RESOURCES: ResourceDescriptors;
    STATE: StateDescriptors;
    JOBS: JobDescriptors;
  } = {
    CONTRACT_ID: emitted.id,
    CONTRACT_KIND: kind,
    CONTRACT: manifest,
    CONTRACT_DIGEST: digest,
    SCHEMAS: Object.freeze({ ...schemas }),
    ERRORS: Object.freeze(Object.fromEntries(emitted.errorClasses)),
    API: api,
    RESOURCES: resourceDescriptors(manifest, schemas),
    STATE: stateDescriptors(manifest, schemas),
    JOBS: jobDescriptors(manifest, schemas),
    use: (spec: unknown) => createUseRecord(emitted.id, owned, spec) as never,
  };
  return Object.freeze(contractModule);
}

function checkOptions(kind: ContractKind, options: unknown, allowed: readonly string[]): void {
  const issues = new IssueCollector();
  if (!isPlainObject(options)) issues.add([], `the first argument must be an object with ${allowed.join(" and ")}`);
  else {
    for (const key of Object.keys(options)) {
      if (allowed.includes(key)) continue;
      const hint =
        key === "errors" ? ` (only service contracts declare errors)` : " (the rest of the contract goes in the body)";
      issues.add([key], `unknown option '${key}' for a ${kind} contract${hint}`);
    }
  }
  issues.throwIfAny(`${kind} contract options`);
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
