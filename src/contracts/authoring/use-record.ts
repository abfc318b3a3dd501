import type { Use } from "../manifest/types.ts";
import type { SurfaceGroups } from "./surface-types.ts";

/**
 * The symbol under which a use record carries the target's selected surface
 * descriptors. It is not enumerable, so a record serializes as its `Use`.
 */
export const USE_RECORD_SURFACES: unique symbol = Symbol("trellis.useRecord.surfaces");

/** Records minted by `<module>.use(spec)`; anything else is refused in `uses`. */
const genuineRecords = new WeakSet<object>();

export function registerUseRecord<TRecord extends Use>(record: TRecord, surfaces: SurfaceGroups): TRecord {
  Object.defineProperty(record, USE_RECORD_SURFACES, { value: surfaces, enumerable: false });
  for (const lists of Object.values(record)) {
    if (typeof lists !== "object" || lists === null) continue;
    for (const names of Object.values(lists)) Object.freeze(names);
    Object.freeze(lists);
  }
  genuineRecords.add(record);
  return Object.freeze(record);
}

export function isUseRecord(value: unknown): value is Use & { readonly [USE_RECORD_SURFACES]: SurfaceGroups } {
  return typeof value === "object" && value !== null && genuineRecords.has(value);
}
