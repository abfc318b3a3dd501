import type { Caps } from "../manifest/types.ts";
import type { CompareContext } from "./context.ts";
import type { SurfaceRef } from "./finding.ts";
import { diffKeys, diffLists, quoteList } from "./keyed.ts";

/**
 * Top-level capability declarations. Removing one is breaking for callers:
 * approvals that granted it, and capability lists (of this or other
 * contracts) that require it, stop naming a declared capability. Copy
 * (`displayName`, `description`, `consequence`) is not a change.
 */
export function compareCapabilityDeclarations(ctx: CompareContext): void {
  const { removed, added } = diffKeys(ctx.before.capabilities, ctx.after.capabilities);
  for (const key of removed) {
    ctx.add({
      path: ["capabilities", key],
      change: "capability.declaration-removed",
      message: `'${key}' is no longer declared: grants of it and lists that require it no longer refer to a declared capability`,
      caller: "breaking",
    });
  }
  for (const key of added) {
    ctx.add({ path: ["capabilities", key], change: "capability.declaration-added", message: `'${key}' declared` });
  }
}

/**
 * One gate (an all-of capability list, contracts.md §1). A capability added
 * to the list locks out callers that do not hold it; one removed only lets
 * more callers in. Callers pass the effective lists (defaults applied).
 */
export function compareGate(
  ctx: CompareContext,
  place: {
    path: readonly (string | number)[];
    surface: SurfaceRef;
    gate: string;
    before: Caps;
    after: Caps;
  },
): void {
  const { removed, added } = diffLists(place.before, place.after);
  if (added.length > 0) {
    ctx.add({
      path: place.path,
      surface: place.surface,
      change: "capability.required-added",
      message: `${place.gate} now also requires ${quoteList(added)} (callers without it are refused)`,
      caller: "breaking",
    });
  }
  if (removed.length > 0) {
    ctx.add({
      path: place.path,
      surface: place.surface,
      change: "capability.required-removed",
      message: `${place.gate} no longer requires ${quoteList(removed)}`,
    });
  }
}
