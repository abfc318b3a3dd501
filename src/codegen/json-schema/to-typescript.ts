import { arrayType, intersection, print, tupleType, typeObject, union, type Doc } from "../code/doc.ts";
import { valuesType } from "../code/literal.ts";
import { propertyKey } from "../naming.ts";
import { nullableOption } from "./shape.ts";
import {
  acceptsAnything,
  acceptsNothing,
  readSchema,
  type ArrayFacts,
  type Branch,
  type Located,
  type ObjectFacts,
  type SchemaFacts,
} from "./read-schema.ts";
import type { RenderContext } from "./render-context.ts";
import { branchesOf, hasTypeFacets } from "./to-valibot.ts";

/**
 * JSON Schema → the TypeScript type of the values it accepts, for the same
 * reading as `toValibot`. Where TypeScript cannot say it (`not`, `if`,
 * bounds, patterns, uniqueness, `oneOf`'s "exactly one"), the type is the
 * nearest wider one, so it never rejects a valid value.
 *
 * Optional members are `?: T | undefined`, as valibot infers them, so the
 * types hold under `exactOptionalPropertyTypes` too.
 */
export function toTypeScript(located: Located, context: RenderContext): Doc {
  const reference = context.reference(located);
  if (reference !== undefined) return reference.type;
  const facts = readSchema(located, context.diagnostics);
  if (facts.trivial === "any") return "unknown";
  if (facts.trivial === "never") return "never";

  const nullable = nullableOption(facts, context);
  if (nullable !== undefined) return union([toTypeScript(nullable, context), "null"]);

  const parts: Doc[] = [];
  if (facts.values !== undefined) parts.push(valuesType(facts.values));
  else if (facts.types !== undefined || hasTypeFacets(facts)) parts.push(typeCore(facts, context));
  for (const member of facts.allOf) parts.push(toTypeScript(member, context));
  if (facts.anyOf !== undefined) parts.push(union(facts.anyOf.map((option) => toTypeScript(option, context))));
  if (facts.oneOf !== undefined) parts.push(union(facts.oneOf.map((option) => toTypeScript(option, context))));
  return intersection(parts);
}

function typeCore(facts: SchemaFacts, context: RenderContext): Doc {
  // Without `type`, every JSON type passes (some constrained): TypeScript can only say `unknown`.
  if (facts.types === undefined) return "unknown";
  return union(branchesOf(facts).map((branch) => branchType(branch, facts, context)));
}

function branchType(branch: Branch, facts: SchemaFacts, context: RenderContext): Doc {
  switch (branch) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return arrayTypeOf(facts.array, context);
    case "object":
      return objectTypeOf(facts.object, context);
  }
}

function arrayTypeOf(a: ArrayFacts | undefined, context: RenderContext): Doc {
  if (a?.tuple === undefined) return arrayType(a?.items === undefined ? "unknown" : toTypeScript(a.items, context));
  const required = a.minItems ?? 0;
  const items: Doc[] = a.tuple.map((item, i) => {
    const type = toTypeScript(item, context);
    return i < required ? type : `(${print(union([type, "undefined"]))})?`;
  });
  const rest = a.additionalItems;
  if (rest === undefined || acceptsAnything(rest.schema)) items.push("...unknown[]");
  else if (!acceptsNothing(rest.schema)) items.push(`...${print(arrayType(toTypeScript(rest, context)))}`);
  return tupleType(items);
}

const ANY_MEMBERS = "{ [key: string]: unknown }";

function objectTypeOf(o: ObjectFacts | undefined, context: RenderContext): Doc {
  if (o === undefined) return ANY_MEMBERS;
  const required = new Set(o.required);
  const members: [string, Doc][] = o.properties.map(([key, schema]) => {
    const type = toTypeScript(schema, context);
    return required.has(key) ? [propertyKey(key), type] : [`${propertyKey(key)}?`, union([type, "undefined"])];
  });
  const declared = new Set(o.properties.map(([key]) => key));
  for (const key of o.required) if (!declared.has(key)) members.push([propertyKey(key), "unknown"]);
  members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const additional = o.additionalProperties;
  const declaredType = typeObject(members);
  if (o.patternProperties.length > 0 || additional === undefined || acceptsAnything(additional.schema)) {
    return members.length === 0 ? ANY_MEMBERS : declaredType;
  }
  if (acceptsNothing(additional.schema)) return members.length === 0 ? "{ [key: string]: never }" : declaredType;
  const rest = typeObject([["[key: string]", toTypeScript(additional, context)]]);
  return members.length === 0 ? rest : intersection([declaredType, rest]);
}
