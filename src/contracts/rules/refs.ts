import type { ValidationIssue } from "../errors/builtin.ts";
import { isBuiltinErrorType } from "../errors/builtin.ts";
import type { Manifest, Ref } from "../manifest/types.ts";
import { quote } from "../schema/json-type.ts";
import { issueAt, type PathTokens, type RuleContext } from "./issue.ts";

/**
 * §2.6: every `Ref` and export names a key of `schemas` exactly; and (§1)
 * every rpc error names a local declaration's `type` or a built-in error.
 */

export type SchemaReference = { path: PathTokens; name: string };

/** Every place a manifest names a schema, with the path of the name. */
export function schemaReferences(manifest: Manifest): SchemaReference[] {
  const found: SchemaReference[] = [];
  const ref = (path: PathTokens, target: Ref | undefined) => {
    if (target !== undefined) found.push({ path: [...path, "schema"], name: target.schema });
  };
  manifest.exports?.schemas?.forEach((name, index) => found.push({ path: ["exports", "schemas", index], name }));
  for (const [name, store] of Object.entries(manifest.state ?? {})) {
    ref(["state", name, "schema"], store.schema);
    for (const [version, accepted] of Object.entries(store.acceptedVersions ?? {})) {
      ref(["state", name, "acceptedVersions", version], accepted);
    }
  }
  for (const [name, kv] of Object.entries(manifest.resources?.kv ?? {})) ref(["resources", "kv", name, "schema"], kv.schema);
  for (const [name, rpc] of Object.entries(manifest.rpc ?? {})) {
    ref(["rpc", name, "input"], rpc.input);
    ref(["rpc", name, "output"], rpc.output);
  }
  for (const [name, operation] of Object.entries(manifest.operations ?? {})) {
    ref(["operations", name, "input"], operation.input);
    ref(["operations", name, "progress"], operation.progress);
    ref(["operations", name, "output"], operation.output);
    for (const [signal, declaration] of Object.entries(operation.signals ?? {})) {
      ref(["operations", name, "signals", signal, "input"], declaration.input);
    }
  }
  for (const [name, event] of Object.entries(manifest.events ?? {})) ref(["events", name, "event"], event.event);
  for (const [name, feed] of Object.entries(manifest.feeds ?? {})) {
    ref(["feeds", name, "input"], feed.input);
    ref(["feeds", name, "event"], feed.event);
  }
  for (const [name, error] of Object.entries(manifest.errors ?? {})) ref(["errors", name, "schema"], error.schema);
  for (const [name, job] of Object.entries(manifest.jobs ?? {})) {
    ref(["jobs", name, "payload"], job.payload);
    ref(["jobs", name, "result"], job.result);
  }
  return found;
}

export function checkSchemaReferences({ manifest }: RuleContext): ValidationIssue[] {
  const schemas = manifest.schemas ?? {};
  return schemaReferences(manifest)
    .filter(({ name }) => !Object.hasOwn(schemas, name))
    .map(({ path, name }) => issueAt(path, `references unknown schema ${quote(name)}`));
}

export function checkRpcErrorTypes({ manifest }: RuleContext): ValidationIssue[] {
  const declared = new Set(Object.values(manifest.errors ?? {}).map((error) => error.type));
  const issues: ValidationIssue[] = [];
  for (const [name, rpc] of Object.entries(manifest.rpc ?? {})) {
    rpc.errors?.forEach(({ type }, index) => {
      if (declared.has(type) || isBuiltinErrorType(type)) return;
      issues.push(issueAt(["rpc", name, "errors", index, "type"], `names unknown error type ${quote(type)} (declare it in 'errors' or use a built-in error)`));
    });
  }
  return issues;
}
