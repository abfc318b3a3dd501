import type { JsonSchema } from "../manifest/types.ts";
import type { CompareContext } from "./context.ts";
import { breakingIf, type SurfaceRef } from "./finding.ts";

/**
 * What must survive a schema change at one place of a contract, per party.
 * `oldInNew`: every value valid before must still be valid (values flow from
 * the party to the other side, or were stored and are read back later);
 * `newInOld`: every value valid now must have been valid before (the party
 * still validates with the old schema). Each holds the reason shown when it
 * does not hold.
 */
export type Need = { oldInNew?: string; newInOld?: string };
export type SchemaRule = { caller?: Need; owner?: Need };

/** Rules of the common places. */
export const CALLER_SENDS: Need = { oldInNew: "requests old callers send may be rejected" };
export const CALLER_RECEIVES: Need = { newInOld: "old callers may receive values they reject" };

/** Turns each change of the schema at `path` into a finding classified by `rule`. */
export function compareSchemaAt(
  ctx: CompareContext,
  place: {
    path: readonly (string | number)[];
    surface?: SurfaceRef | undefined;
    label: string;
    before: JsonSchema;
    after: JsonSchema;
    rule: SchemaRule;
  },
): void {
  const comparison = ctx.compare(place.before, place.after);
  for (const change of comparison.changes) {
    const violated = (need: Need | undefined): string[] => [
      ...(need?.oldInNew !== undefined && change.narrows ? [need.oldInNew] : []),
      ...(need?.newInOld !== undefined && change.widens ? [need.newInOld] : []),
    ];
    const callerWhy = violated(place.rule.caller);
    const ownerWhy = violated(place.rule.owner);
    const why = [...new Set([...callerWhy, ...ownerWhy])];
    ctx.add({
      path: place.path,
      surface: place.surface,
      change: change.code,
      message: `${place.label}: ${change.message}${why.length === 0 ? "" : ` (${why.join("; ")})`}`,
      caller: breakingIf(callerWhy.length > 0),
      owner: breakingIf(ownerWhy.length > 0),
    });
  }
}
