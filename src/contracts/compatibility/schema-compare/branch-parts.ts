import type { JsonSchema } from "../../manifest/types.ts";
import type { Bound, Branch } from "./branch.ts";
import { jsonTypeOf, type JsonType } from "./values.ts";

/** Questions about a branch: the schemas of its properties and items, its integer bounds, its emptiness. */

/**
 * Objects as Trellis senders produce them (runtime-wire.md §0, §1.1): a
 * value is encoded with its schema, so an object schema that declares
 * `properties` and says nothing about other properties (valibot's
 * `v.object`) never carries undeclared ones, and receivers ignore unknown
 * properties anyway.
 */
export function wireClosed(branch: Branch): boolean {
  return (
    branch.objects.length > 0 &&
    branch.objects.every((part) => part.declared && part.additional === undefined && part.patterns === undefined)
  );
}

export function declaredNames(branch: Branch): Set<string> {
  const names = new Set<string>();
  for (const part of branch.objects) for (const name of Object.keys(part.properties)) names.add(name);
  return names;
}

/** The conjunction of schemas constraining property `name` of an object branch. */
export function propertySchemas(branch: Branch, name: string): JsonSchema[] {
  return branch.objects.map((part) =>
    Object.hasOwn(part.properties, name) ? part.properties[name]! : (part.additional ?? true),
  );
}

/** The conjunction of schemas constraining the properties no part names. */
export function otherPropertySchemas(branch: Branch): JsonSchema[] {
  return branch.objects.map((part) => part.additional ?? true);
}

/** The conjunction of schemas constraining array element `index`. */
export function itemSchemas(branch: Branch, index: number): JsonSchema[] {
  return branch.arrays.map((part) =>
    Array.isArray(part.items)
      ? index < part.items.length
        ? part.items[index]!
        : (part.additionalItems ?? true)
      : ((part.items as JsonSchema | undefined) ?? true),
  );
}

/** Length of the longest tuple form among the branch's array parts. */
export function tupleLength(branch: Branch): number {
  return Math.max(0, ...branch.arrays.map((part) => (Array.isArray(part.items) ? part.items.length : 0)));
}

/** The conjunction of schemas constraining elements after every tuple position. */
export function restItemSchemas(branch: Branch): JsonSchema[] {
  return itemSchemas(branch, Number.MAX_SAFE_INTEGER);
}

/** Integer bounds as inclusive integers (`exclusiveMinimum: 0` on integers is `minimum: 1`). */
export function integerLower(bound: Bound | undefined): Bound | undefined {
  if (bound === undefined) return undefined;
  return { value: bound.exclusive ? Math.floor(bound.value) + 1 : Math.ceil(bound.value), exclusive: false };
}

export function integerUpper(bound: Bound | undefined): Bound | undefined {
  if (bound === undefined) return undefined;
  return { value: bound.exclusive ? Math.ceil(bound.value) - 1 : Math.floor(bound.value), exclusive: false };
}

/** Numbers of the branch are integers: `type: integer`, or a whole `multipleOf`. */
export function integerOnly(branch: Branch): boolean {
  return branch.integer || branch.multipleOf.some((m) => Number.isInteger(m));
}

/** Whether the branch obviously admits no value of `type` (contradictory bounds and the like). */
export function emptyForType(branch: Branch, type: JsonType): boolean {
  if (!branch.types.has(type)) return true;
  if (branch.enum !== undefined) return !branch.enum.some((value) => jsonTypeOf(value) === type);
  switch (type) {
    case "number": {
      const lower = integerOnly(branch) ? integerLower(branch.lower) : branch.lower;
      const upper = integerOnly(branch) ? integerUpper(branch.upper) : branch.upper;
      if (lower === undefined || upper === undefined) return false;
      return lower.value > upper.value || (lower.value === upper.value && (lower.exclusive || upper.exclusive));
    }
    case "string":
      return branch.maxLength !== undefined && branch.minLength > branch.maxLength;
    case "array":
      return branch.maxItems !== undefined && branch.minItems > branch.maxItems;
    case "object":
      if (branch.maxProperties !== undefined && branch.minProperties > branch.maxProperties) return true;
      return [...branch.required].some((name) => propertySchemas(branch, name).includes(false));
    default:
      return false;
  }
}
