import type { ErrorDecl } from "../manifest/types.ts";
import { canonicalJson } from "../json/canonical.ts";
import type { IssueCollector } from "./contract-definition-error.ts";
import type { WireErrorClass } from "./define-error.ts";
import { emitJsonSchema, type JsonSchemaObject } from "./json-schema.ts";
import { sortedUnique } from "../manifest/normalize.ts";
import { isBuiltinErrorType } from "../errors/builtin.ts";


export interface DeclaredErrors {
  /** The manifest `errors` section, by local key. */
  readonly declarations: Record<string, ErrorDecl>;
  /** Local key → its class, for descriptors and name mapping. */
  readonly classes: ReadonlyMap<string, WireErrorClass>;
}

/**
 * Emits `errors` (§7.2): each local error as `{type, schema?}`, the schema
 * being the explicit ref, else a registry schema canonically equal to the
 * class schema, else a new entry `<type>Data` (then `<key>Data`,
 * `<type>Data2`, ...). New entries are added to `registry`. Keys are
 * processed in UTF-16 order, so generated names do not depend on the order
 * the source lists errors in.
 */
export function emitErrorDeclarations(
  errors: { readonly [key: string]: unknown },
  registry: Record<string, JsonSchemaObject>,
  issues: IssueCollector,
): DeclaredErrors {
  const declarations: Record<string, ErrorDecl> = {};
  const classes = new Map<string, WireErrorClass>();
  for (const key of Object.keys(errors).sort()) {
    const path = ["errors", key];
    const declaration = asDeclaration(errors[key]);
    if (declaration === undefined) {
      issues.add(path, "must be a class from defineError (or { error, schema })");
      continue;
    }
    if (isBuiltinErrorType(key)) {
      issues.add(path, `'${key}' is a built-in error name; choose another local key`);
      continue;
    }
    const { errorClass, explicitSchema } = declaration;
    classes.set(key, errorClass);
    if (explicitSchema !== undefined) {
      if (!(explicitSchema in registry)) issues.add([...path, "schema"], `unknown schema '${explicitSchema}'`);
      declarations[key] = { type: errorClass.type, schema: { schema: explicitSchema } };
      continue;
    }
    const emitted = emitJsonSchema(errorClass.schema);
    if (emitted.isErr()) {
      issues.addAll([...path, "schema"], emitted.error.issues);
      continue;
    }
    const schemaName = findEqualSchema(registry, emitted.value) ?? freeSchemaName(registry, errorClass.type, key);
    registry[schemaName] ??= emitted.value;
    declarations[key] = { type: errorClass.type, schema: { schema: schemaName } };
  }
  return { declarations, classes };
}

/** rpc `errors` (§7.2): local keys → their class `type`, built-ins kept; `SU`, as `{type}`. */
export function mapRpcErrors(
  names: unknown,
  classes: ReadonlyMap<string, WireErrorClass>,
  path: readonly (string | number)[],
  issues: IssueCollector,
): { type: string }[] {
  if (!Array.isArray(names)) {
    issues.add(path, "must be a list of error names");
    return [];
  }
  const types: string[] = [];
  names.forEach((name: unknown, index) => {
    const local = typeof name === "string" ? classes.get(name) : undefined;
    if (local !== undefined) types.push(local.type);
    else if (typeof name === "string" && isBuiltinErrorType(name)) types.push(name);
    else
      issues.add(
        [...path, index],
        `unknown error '${String(name)}': declare it in the 'errors' option or use a built-in error`,
      );
  });
  return sortedUnique(types).map((type) => ({ type }));
}

function asDeclaration(value: unknown): { errorClass: WireErrorClass; explicitSchema?: string } | undefined {
  if (isErrorClass(value)) return { errorClass: value };
  if (typeof value === "object" && value !== null && "error" in value && isErrorClass(value.error)) {
    const schema = "schema" in value ? value.schema : undefined;
    if (typeof schema === "string") return { errorClass: value.error, explicitSchema: schema };
  }
  return undefined;
}

function isErrorClass(value: unknown): value is WireErrorClass {
  if (typeof value !== "function") return false;
  const candidate = value as unknown as Partial<WireErrorClass>;
  return typeof candidate.type === "string" && typeof candidate.schema === "object" && candidate.schema !== null;
}

function findEqualSchema(registry: Record<string, JsonSchemaObject>, schema: JsonSchemaObject): string | undefined {
  const wanted = canonicalJson(schema);
  if (wanted.isErr()) return undefined;
  return Object.keys(registry)
    .sort()
    .find((name) => {
      const candidate = canonicalJson(registry[name]);
      return candidate.isOk() && candidate.value === wanted.value;
    });
}

function freeSchemaName(registry: Record<string, JsonSchemaObject>, type: string, key: string): string {
  for (const name of [`${type}Data`, `${key}Data`]) if (!(name in registry)) return name;
  for (let n = 2; ; n++) {
    const name = `${type}Data${n}`;
    if (!(name in registry)) return name;
  }
}
