import type { ErrorDecl, JsonSchema, NormalizedManifest } from "../manifest/types.ts";
import { schemaOf, type CompareContext } from "./context.ts";
import { compareText } from "./keyed.ts";
import { compareSchemaAt } from "./schema-position.ts";

/**
 * Declared error data. Callers validate an error of a type their rpc
 * declares with that type's schema (runtime-wire.md §1.7, 5b), so the data
 * schema is an output: it may narrow, not widen. Errors are matched by
 * `type`, the first declaration of a type wins (contracts.md §4, Reachable).
 */
export function compareErrors(ctx: CompareContext): void {
  const before = declaredTypes(ctx.before);
  const after = declaredTypes(ctx.after);
  const used = (m: NormalizedManifest) =>
    new Set(Object.values(m.rpc ?? {}).flatMap((rpc) => (rpc.errors ?? []).map((error) => error.type)));
  const usedBefore = used(ctx.before);
  const usedAfter = used(ctx.after);
  const types = [...usedAfter].filter((type) => usedBefore.has(type)).sort(compareText);
  for (const type of types) {
    const old = before.get(type);
    const now = after.get(type);
    if (old === undefined && now === undefined) continue; // a built-in type
    const key = now?.key ?? old!.key;
    compareSchemaAt(ctx, {
      path: ["errors", key, "schema"],
      label: `error '${type}' data`,
      before: dataSchema(ctx.before, old?.decl),
      after: dataSchema(ctx.after, now?.decl),
      rule: { caller: { newInOld: "old callers may reject the error data and report a ValidationError instead" } },
    });
  }
}

function declaredTypes(m: NormalizedManifest): Map<string, { key: string; decl: ErrorDecl }> {
  const types = new Map<string, { key: string; decl: ErrorDecl }>();
  for (const [key, decl] of Object.entries(m.errors ?? {}))
    if (!types.has(decl.type)) types.set(decl.type, { key, decl });
  return types;
}

/** An error without a schema carries data nobody validates. */
function dataSchema(m: NormalizedManifest, decl: ErrorDecl | undefined): JsonSchema {
  return decl?.schema === undefined ? true : schemaOf(m, decl.schema);
}
