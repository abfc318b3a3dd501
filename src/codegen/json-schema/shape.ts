import type { Doc } from "../code/doc.ts";
import { jsonTypeOf } from "./json-value.ts";
import { readSchema, type Located, type ObjectFacts, type SchemaFacts } from "./read-schema.ts";
import type { RenderContext } from "./render-context.ts";

/**
 * Structural readings both renderers rely on: the nullable form, when
 * constants need their type schema too, and discriminated `oneOf`s.
 */

export type ObjectRender = { readonly schema: Doc; readonly refined: boolean };

/** `{anyOf: [X, {type: "null"}]}` with nothing else: valibot writes it for nullable/nullish. */
export function nullableOption(facts: SchemaFacts, context: RenderContext): Located | undefined {
  const anyOf = facts.anyOf;
  if (anyOf?.length !== 2 || !onlyCombinator(facts, "anyOf")) return undefined;
  const isNull = (option: Located) => {
    const o = readSchema(option, context.diagnostics);
    return (
      o.types?.length === 1 &&
      o.types[0] === "null" &&
      o.values === undefined &&
      onlyCombinator(o, "none") &&
      o.anyOf === undefined
    );
  };
  if (isNull(anyOf[1]!)) return anyOf[0];
  if (isNull(anyOf[0]!)) return anyOf[1];
  return undefined;
}

/** No keywords besides `type` and (for `"anyOf"`) `anyOf`. */
function onlyCombinator(facts: SchemaFacts, which: "anyOf" | "none"): boolean {
  return (
    (which === "none" || facts.types === undefined) &&
    facts.values === undefined &&
    facts.string === undefined &&
    facts.number === undefined &&
    facts.array === undefined &&
    facts.object === undefined &&
    facts.allOf.length === 0 &&
    facts.oneOf === undefined &&
    facts.not === undefined &&
    facts.conditional === undefined
  );
}

/**
 * Whether constants alone do not say everything: string formats (not
 * evaluable at generation time) and array/object keywords on array/object
 * constants. Scalar keywords were applied to the list by `readSchema`.
 */
export function valuesNeedCore(facts: SchemaFacts): boolean {
  const values = facts.values ?? [];
  if (facts.string?.format !== undefined && values.some((v) => typeof v === "string")) return true;
  const structured = values.some((v) => jsonTypeOf(v) === "array" || jsonTypeOf(v) === "object");
  return structured && (facts.array !== undefined || facts.object !== undefined);
}

export type Discriminated = { readonly key: string; readonly options: readonly Doc[] };

/**
 * A `oneOf` whose options are plain object schemas, each requiring one
 * member `key` whose constants differ from every other option's: at most one
 * option can match, so `v.variant` on `key` is exactly `oneOf`.
 */
export function discriminatorOf(
  options: readonly Located[],
  context: RenderContext,
  renderOption: (facts: ObjectFacts) => ObjectRender,
): Discriminated | undefined {
  if (options.length < 2) return undefined;
  const objects: ObjectFacts[] = [];
  for (const option of options) {
    const facts = readSchema(option, context.diagnostics);
    const plainObject =
      facts.trivial === undefined &&
      facts.types?.length === 1 &&
      facts.types[0] === "object" &&
      facts.object !== undefined &&
      facts.values === undefined &&
      facts.string === undefined &&
      facts.number === undefined &&
      facts.array === undefined &&
      facts.allOf.length === 0 &&
      facts.anyOf === undefined &&
      facts.oneOf === undefined &&
      facts.not === undefined &&
      facts.conditional === undefined;
    if (!plainObject) return undefined;
    objects.push(facts.object!);
  }
  const candidates = objects[0]!.required.filter((key) => !/^[0-9]+$/.test(key));
  for (const key of candidates) {
    const sets = objects.map((o) => constantsOf(o, key, context));
    if (sets.some((set) => set === undefined)) continue;
    const seen = new Set<string>();
    let disjoint = true;
    for (const set of sets) {
      for (const value of set!) {
        if (seen.has(value)) disjoint = false;
        seen.add(value);
      }
    }
    if (!disjoint) continue;
    const rendered = objects.map(renderOption);
    if (rendered.some((r) => r.refined)) return undefined;
    return { key, options: rendered.map((r) => r.schema) };
  }
  return undefined;
}

/** The primitive constants a required member may hold (as JSON text), if it is constrained to constants only. */
function constantsOf(o: ObjectFacts, key: string, context: RenderContext): string[] | undefined {
  if (!o.required.includes(key)) return undefined;
  const member = o.properties.find(([name]) => name === key)?.[1];
  if (member === undefined) return undefined;
  const facts = readSchema(member, context.diagnostics);
  if (facts.values === undefined || valuesNeedCore(facts)) return undefined;
  if (facts.allOf.length > 0 || facts.anyOf !== undefined || facts.oneOf !== undefined) return undefined;
  if (facts.not !== undefined || facts.conditional !== undefined) return undefined;
  if (!facts.values.every((v) => v === null || typeof v !== "object")) return undefined;
  return facts.values.map((v) => JSON.stringify(v));
}
