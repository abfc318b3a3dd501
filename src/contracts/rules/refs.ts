import type { ValidationIssue } from "../errors/builtin.ts";
import { isBuiltinErrorType } from "../errors/builtin.ts";
import { quote } from "../schema/json-type.ts";
import { issueAt, type PathTokens, type RuleContext } from "./issue.ts";
import { entriesOf, itemsOf, type Loose, type LooseManifest } from "./loose.ts";
import type { Ref } from "../manifest/types.ts";

/**
 * §2.6: every `Ref` and export names a key of `schemas` exactly; and (§1)
 * every rpc error names a local declaration's `type` or a built-in error.
 */

export type SchemaReference = { path: PathTokens; name: string };

/** Every place a manifest names a schema, with the path of the name. */
export function schemaReferences(m: LooseManifest): SchemaReference[] {
  const found: SchemaReference[] = [];
  const ref = (path: PathTokens, target: Loose<Ref> | undefined) => {
    if (target?.schema !== undefined) found.push({ path: [...path, "schema"], name: target.schema });
  };
  for (const [index, name] of itemsOf(m.exports?.schemas)) found.push({ path: ["exports", "schemas", index], name });
  for (const [name, store] of entriesOf(m.state)) {
    ref(["state", name, "schema"], store.schema);
    for (const [version, accepted] of entriesOf(store.acceptedVersions))
      ref(["state", name, "acceptedVersions", version], accepted);
  }
  for (const [name, kv] of entriesOf(m.resources?.kv)) ref(["resources", "kv", name, "schema"], kv.schema);
  for (const [name, rpc] of entriesOf(m.rpc)) {
    ref(["rpc", name, "input"], rpc.input);
    ref(["rpc", name, "output"], rpc.output);
  }
  for (const [name, operation] of entriesOf(m.operations)) {
    ref(["operations", name, "input"], operation.input);
    ref(["operations", name, "progress"], operation.progress);
    ref(["operations", name, "output"], operation.output);
    for (const [signal, declaration] of entriesOf(operation.signals))
      ref(["operations", name, "signals", signal, "input"], declaration.input);
  }
  for (const [name, event] of entriesOf(m.events)) ref(["events", name, "event"], event.event);
  for (const [name, feed] of entriesOf(m.feeds)) {
    ref(["feeds", name, "input"], feed.input);
    ref(["feeds", name, "event"], feed.event);
  }
  for (const [name, error] of entriesOf(m.errors)) ref(["errors", name, "schema"], error.schema);
  for (const [name, job] of entriesOf(m.jobs)) {
    ref(["jobs", name, "payload"], job.payload);
    ref(["jobs", name, "result"], job.result);
  }
  return found;
}

export function checkSchemaReferences({ manifest, declared }: RuleContext): ValidationIssue[] {
  return schemaReferences(manifest)
    .filter(({ name }) => !declared.schemas.has(name))
    .map(({ path, name }) => issueAt(path, `references unknown schema ${quote(name)}`));
}

export function checkRpcErrorTypes({ manifest, declared }: RuleContext): ValidationIssue[] {
  if (!declared.errorTypesComplete) return []; // an unreadable declaration is reported by the shapes
  const issues: ValidationIssue[] = [];
  for (const [name, rpc] of entriesOf(manifest.rpc)) {
    for (const [index, error] of itemsOf(rpc.errors)) {
      const type = error.type;
      if (type === undefined || declared.errorTypes.has(type) || isBuiltinErrorType(type)) continue;
      issues.push(
        issueAt(
          ["rpc", name, "errors", index, "type"],
          `names unknown error type ${quote(type)} (declare it in 'errors' or use a built-in error)`,
        ),
      );
    }
  }
  return issues;
}
