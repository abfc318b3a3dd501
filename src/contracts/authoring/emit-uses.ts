import type { ContractKind, Use, Uses } from "../manifest/types.ts";
import { addBaselineUses, baselineAliases, pendingSurfaces } from "./baseline-uses.ts";
import { checkMembers, isPlainObject, type EmitContext } from "./emit-context.ts";
import type { SurfaceGroups } from "./surface-types.ts";
import { USE_LISTS } from "./use.ts";
import { isUseRecord, USE_RECORD_SURFACES } from "./use-record.ts";

/** `uses` from use records only (§7.4), then the baseline uses (§5). */
export function emitUses(
  section: unknown,
  kind: ContractKind,
  id: string,
  declaresState: boolean,
  context: EmitContext,
): { uses: Uses | undefined; usedSources: SurfaceGroups[] } {
  const uses: Uses = {};
  const usedSources: SurfaceGroups[] = [];
  if (section !== undefined && !isPlainObject(section))
    context.issues.add(["uses"], "must be an object with 'required' and/or 'optional'");
  const groups = isPlainObject(section) ? section : {};
  checkMembers(groups, ["required", "optional"], ["uses"], context);
  for (const group of ["required", "optional"] as const) {
    const aliases = groups[group];
    if (aliases === undefined) continue;
    if (!isPlainObject(aliases)) {
      context.issues.add(["uses", group], "must be an object of alias → <module>.use(...)");
      continue;
    }
    const emitted: Record<string, Use> = {};
    for (const [alias, record] of Object.entries(aliases)) {
      if (!isUseRecord(record)) {
        context.issues.add(
          ["uses", group, alias],
          "must be the result of <module>.use(spec) of the target contract module",
        );
        continue;
      }
      emitted[alias] = copyUse(record);
      usedSources.push(record[USE_RECORD_SURFACES]);
    }
    uses[group] = emitted;
  }
  const baseline = baselineAliases(kind, id, declaresState);
  addBaselineUses(uses, baseline, context.issues);
  usedSources.push(pendingSurfaces(baseline));
  const empty = Object.keys(uses.required ?? {}).length === 0 && Object.keys(uses.optional ?? {}).length === 0;
  return { uses: empty ? undefined : uses, usedSources };
}

/** The `Use` part of a record (its lists are already `SU`). */
function copyUse(record: Use): Use {
  const use: Use = { contract: record.contract };
  for (const section of Object.keys(USE_LISTS) as (keyof typeof USE_LISTS)[]) {
    const lists = record[section] as Record<string, readonly string[]> | undefined;
    if (lists !== undefined)
      (use as Record<string, unknown>)[section] = Object.fromEntries(
        Object.entries(lists).map(([k, l]) => [k, [...l]]),
      );
  }
  return use;
}
