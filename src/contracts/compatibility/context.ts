import { pointerOf } from "../json/pure-json.ts";
import type { JsonSchema, NormalizedManifest, Ref } from "../manifest/types.ts";
import type { ChangeCode, Finding, Impact, SurfaceRef } from "./finding.ts";
import { compareSchemas, type SchemaComparison } from "./schema-compare/compare-schemas.ts";
import { keyOf } from "./schema-compare/values.ts";

/** The two manifests of one comparison and the findings collected so far. */
export class CompareContext {
  readonly findings: Finding[] = [];
  private readonly comparisons = new Map<string, SchemaComparison>();

  constructor(
    readonly before: NormalizedManifest,
    readonly after: NormalizedManifest,
  ) {}

  add(entry: {
    path: readonly (string | number)[];
    surface?: SurfaceRef | undefined;
    change: ChangeCode;
    message: string;
    caller?: Impact;
    owner?: Impact;
  }): void {
    this.findings.push({
      path: pointerOf(entry.path),
      ...(entry.surface === undefined ? {} : { surface: entry.surface }),
      change: entry.change,
      message: entry.message,
      caller: entry.caller ?? "compatible",
      owner: entry.owner ?? "compatible",
    });
  }

  /**
   * Compares two schemas once per pair (one schema is often referenced from
   * many places), counting values as Trellis senders encode them.
   */
  compare(before: JsonSchema, after: JsonSchema): SchemaComparison {
    const id = `${keyOf(before)}\u0000${keyOf(after)}`;
    let comparison = this.comparisons.get(id);
    if (comparison === undefined) {
      comparison = compareSchemas(before, after, { values: "wire" });
      this.comparisons.set(id, comparison);
    }
    return comparison;
  }
}

/** The schema a ref names; a validated manifest has every referenced schema. */
export function schemaOf(manifest: NormalizedManifest, ref: Ref): JsonSchema {
  return manifest.schemas?.[ref.schema] ?? true;
}
