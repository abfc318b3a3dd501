import type { ContractKind } from "../manifest/types.ts";
import { contractNamespace } from "../rules/identity.ts";
import { CapabilityNames } from "./capabilities.ts";
import { IssueCollector } from "./contract-definition-error.ts";
import type { WireErrorClass } from "./define-error.ts";
import { isPlainObject, withoutUndefined, type EmitContext } from "./emit-context.ts";
import { emitUses } from "./emit-uses.ts";
import { emitErrorDeclarations } from "./error-declarations.ts";
import { emitJsonSchema, type JsonSchemaObject } from "./json-schema.ts";
import { emitEventConsumers, emitExports, emitJobs, emitResources, emitState } from "./sections.ts";
import type { SurfaceGroups } from "./surface-types.ts";
import { emitEvents, emitFeeds, emitOperations, emitRpcs } from "./surfaces.ts";
import type { SchemaMap } from "./types.ts";

/** Body members per kind (§7): services also own surfaces, jobs and resources. */
const COMMON_MEMBERS = [
  "id",
  "displayName",
  "description",
  "docs",
  "capabilities",
  "exports",
  "uses",
  "state",
  "eventConsumers",
];
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
  // Refs may name the source's schemas only, not the generated error data entries.
  const schemaNames = new Set(isPlainObject(source.schemas) ? Object.keys(source.schemas) : []);
  const declared =
    source.kind === "service" && source.errors !== undefined
      ? emitErrorDeclarations(isPlainObject(source.errors) ? source.errors : {}, registry, issues)
      : { declarations: {}, classes: new Map<string, WireErrorClass>() };
  if (source.errors !== undefined && !isPlainObject(source.errors))
    issues.add(["errors"], "must be an object of error classes");

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
    else if (SERVICE_MEMBERS.includes(key))
      issues.add([key], `a ${kind} contract cannot declare '${key}' (only services do)`);
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

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length === 0 ? undefined : value;
}
