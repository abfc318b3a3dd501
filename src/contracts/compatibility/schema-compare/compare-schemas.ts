import type { JsonSchema } from "../../manifest/types.ts";
import { schemaAccepts } from "./accepts.ts";
import { ASPECT_CODES, type Reason, type SchemaChangeCode } from "./change.ts";
import { renderLocation } from "./location.ts";

/** One difference between an old and a new schema, named from old to new. */
export type SchemaChange = {
  /** Where inside the value, dotted (`items[].sku`); "" for the whole value. */
  at: string;
  code: SchemaChangeCode;
  message: string;
  /** The new schema may reject a value the old one accepted (found checking old ⊆ new). */
  narrows: boolean;
  /** The new schema may accept a value the old one rejected (found checking new ⊆ old). */
  widens: boolean;
};

export type SchemaComparison = {
  /** Proven: the new schema accepts every value the old one accepts. */
  oldInNew: boolean;
  /** Proven: the old schema accepts every value the new one accepts. */
  newInOld: boolean;
  /**
   * What differs: every failure of either inclusion, plus notes (differences
   * that break neither, `narrows` and `widens` both false). No failures
   * exactly when both inclusions are proven.
   */
  changes: SchemaChange[];
};

/**
 * Compares two versions of a schema in both directions. `values` as in
 * `schemaAccepts`: `wire` counts the values the producing side encodes.
 */
export function compareSchemas(
  before: JsonSchema,
  after: JsonSchema,
  options: { values?: "any" | "wire" } = {},
): SchemaComparison {
  const values = options.values ?? "any";
  const widening = schemaAccepts(after, before, { orientation: "old-in-new", values });
  const narrowing = schemaAccepts(before, after, { orientation: "new-in-old", values });
  return {
    oldInNew: widening.proven,
    newInOld: narrowing.proven,
    changes: mergeReasons(widening.reasons, narrowing.reasons),
  };
}

/** One change per place and aspect; a place that moved both ways (an enum swap) becomes one "changed" entry. */
function mergeReasons(narrowed: readonly Reason[], widened: readonly Reason[]): SchemaChange[] {
  type Group = { at: string; reason: Reason; narrowed: string[]; widened: string[] };
  const notes: SchemaChange[] = [];
  const groups = new Map<string, Group>();
  const add = (reason: Reason, direction: "narrowed" | "widened") => {
    const at = renderLocation(reason.at);
    if (reason.note === true) {
      const code = ASPECT_CODES[reason.aspect][direction];
      notes.push({ at, code, message: reason.message, narrows: false, widens: false });
      return;
    }
    const id = `${at}\u0000${reason.aspect}\u0000${reason.key}`;
    const group = groups.get(id) ?? { at, reason, narrowed: [], widened: [] };
    group[direction].push(reason.message);
    groups.set(id, group);
  };
  for (const reason of narrowed) add(reason, "narrowed");
  for (const reason of widened) add(reason, "widened");

  const changes: SchemaChange[] = [];
  for (const group of groups.values()) {
    const codes = ASPECT_CODES[group.reason.aspect];
    const both = group.narrowed.length > 0 && group.widened.length > 0;
    if (both && codes.both !== undefined) {
      const messages = [...new Set([...group.narrowed, ...group.widened])];
      changes.push({ at: group.at, code: codes.both, message: messages.join("; "), narrows: true, widens: true });
      continue;
    }
    if (group.narrowed.length > 0) {
      changes.push({
        at: group.at,
        code: codes.narrowed,
        message: [...new Set(group.narrowed)].join("; "),
        narrows: true,
        widens: false,
      });
    }
    if (group.widened.length > 0) {
      changes.push({
        at: group.at,
        code: codes.widened,
        message: [...new Set(group.widened)].join("; "),
        narrows: false,
        widens: true,
      });
    }
  }
  changes.push(...notes);
  return changes.sort(
    (a, b) => compareText(a.at, b.at) || compareText(a.code, b.code) || compareText(a.message, b.message),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
