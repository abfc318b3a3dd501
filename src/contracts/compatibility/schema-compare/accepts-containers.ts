import type { JsonValue } from "../../json/pure-json.ts";
import type { Branch } from "./branch.ts";
import {
  declaredNames,
  itemSchemas,
  otherPropertySchemas,
  propertySchemas,
  restItemSchemas,
  tupleLength,
  wireClosed,
} from "./branch-parts.ts";
import { step, type Checker } from "./checker.ts";
import { describeCount } from "./describe.ts";
import type { Location } from "./location.ts";
import { keyOf } from "./values.ts";

/** Inclusion of the array and object parts of two branches. */

export function arraysIncluded(c: Checker, x: Branch, y: Branch, at: Location): boolean {
  let ok = true;
  if (x.minItems < y.minItems) {
    ok = c.fail(at, "bounds", "minItems", `minItems ${c.arrow(String(x.minItems), String(y.minItems))}`);
  }
  if (y.maxItems !== undefined && (x.maxItems === undefined || x.maxItems > y.maxItems)) {
    ok = c.fail(at, "bounds", "maxItems", `maxItems ${c.arrow(describeCount(x.maxItems), describeCount(y.maxItems))}`);
  }
  if (y.uniqueItems && !x.uniqueItems && !(x.maxItems !== undefined && x.maxItems <= 1)) {
    ok = c.fail(
      at,
      "unique-items",
      "uniqueItems",
      c.narrowing ? "items must now be unique" : "items no longer need to be unique",
    );
  }
  const positions = Math.max(tupleLength(x), tupleLength(y));
  const longest = x.maxItems ?? Number.POSITIVE_INFINITY;
  for (let index = 0; index < positions && index < longest; index++) {
    ok = c.includes(itemSchemas(x, index), itemSchemas(y, index), step(at, { kind: "index", index })) && ok;
  }
  if (longest > positions) {
    ok = c.includes(restItemSchemas(x), restItemSchemas(y), step(at, { kind: "items" })) && ok;
  }
  return ok;
}

export function objectsIncluded(c: Checker, x: Branch, y: Branch, at: Location): boolean {
  let ok = true;
  // On the wire, properties the producer's schema does not declare are never sent.
  const closed = c.values === "wire" && wireClosed(x);
  const declared = declaredNames(x);
  const required = closed ? new Set([...x.required].filter((name) => declared.has(name))) : x.required;
  for (const name of y.required) {
    if (required.has(name)) continue;
    ok = c.fail(at, "required", name, c.narrowing ? `'${name}' is now required` : `'${name}' is no longer required`);
  }
  // A value has at least its required properties; stripping may drop any others.
  const fewest = closed ? required.size : Math.max(x.minProperties, required.size);
  const most = closed ? minOf(x.maxProperties, declared.size) : x.maxProperties;
  if (fewest < y.minProperties) {
    ok = c.fail(at, "bounds", "minProperties", `minProperties ${c.arrow(String(fewest), String(y.minProperties))}`);
  }
  if (y.maxProperties !== undefined && (most === undefined || most > y.maxProperties)) {
    ok = c.fail(
      at,
      "bounds",
      "maxProperties",
      `maxProperties ${c.arrow(describeCount(most), describeCount(y.maxProperties))}`,
    );
  }

  const usesPatterns = [...x.objects, ...y.objects].some((part) => part.patterns !== undefined);
  if (usesPatterns) {
    // Which names fall to which schema depends on the patterns: compared only when identical.
    if (objectPartsText(x) !== objectPartsText(y)) ok = c.unprovable(at, "'patternProperties' differs");
    return ok;
  }

  const names = new Set(declared);
  for (const name of declaredNames(y)) {
    if (!closed) names.add(name);
    else if (!declared.has(name) && !y.required.has(name)) {
      const sender = c.narrowing ? "old senders never send it" : "new senders never send it";
      c.note(at, name, `'${name}' ${c.narrowing ? "added" : "removed"} (optional; ${sender})`);
    }
  }
  for (const name of [...names].sort()) {
    const inner = propertySchemas(x, name);
    const outer = propertySchemas(y, name);
    if (outer.includes(false) && !inner.includes(false)) {
      ok = c.fail(at, "property", name, c.narrowing ? `'${name}' is no longer allowed` : `'${name}' is now allowed`);
    } else {
      ok = c.includes(inner, outer, step(at, { kind: "property", name })) && ok;
    }
  }
  if (closed) return ok;
  const innerOthers = otherPropertySchemas(x);
  const outerOthers = otherPropertySchemas(y);
  if (outerOthers.includes(false) && !innerOthers.includes(false)) {
    ok = c.fail(
      at,
      "other-properties",
      "additionalProperties",
      c.narrowing ? "no longer accepts other properties" : "now accepts other properties",
    );
  } else {
    ok = c.includes(innerOthers, outerOthers, step(at, { kind: "other-properties" })) && ok;
  }
  return ok;
}

const minOf = (a: number | undefined, b: number) => (a === undefined ? b : Math.min(a, b));

function objectPartsText(branch: Branch): string {
  return keyOf(
    branch.objects.map((part) => ({
      properties: part.properties,
      additional: part.additional ?? null,
      patterns: part.patterns ?? null,
    })) as unknown as JsonValue,
  );
}
