import type { JsonValue } from "../../contracts/index.ts";
import { arrayLiteral, call, objectLiteral, print, type Doc } from "../code/doc.ts";
import { jsonValueType } from "../code/literal.ts";
import { propertyKey } from "../naming.ts";
import { jsonTypeOf } from "./json-value.ts";
import { discriminatorOf, nullableOption, valuesNeedCore, type ObjectRender } from "./shape.ts";
import {
  acceptsAnything,
  acceptsNothing,
  ASSERTED_FORMATS,
  readSchema,
  type ArrayFacts,
  type Branch,
  type Located,
  type ObjectFacts,
  type SchemaFacts,
} from "./read-schema.ts";
import type { RenderContext } from "./render-context.ts";
import { isHelper } from "./helpers.ts";

/**
 * JSON Schema → valibot code. The validators it writes accept exactly the
 * JSON values the schema accepts, and never transform: open objects are
 * `v.looseObject` (unknown members kept), `default` is an annotation. So a
 * parse returns its input, and refinements (`refine`) see the input itself.
 *
 * Two deliberate readings, both matching what the authoring source does
 * (valibot wrote these keywords): `minLength`/`maxLength` count UTF-16 code
 * units, and `format` is asserted only where one valibot action is its only
 * origin (read-schema.ts `ASSERTED_FORMATS`).
 */
export function toValibot(located: Located, context: RenderContext): Doc {
  const reference = context.reference(located);
  if (reference !== undefined) return reference.value;
  const facts = readSchema(located, context.diagnostics);
  if (facts.trivial === "any") return "v.unknown()";
  if (facts.trivial === "never") return "v.never()";

  const nullable = nullableOption(facts, context);
  if (nullable !== undefined) return call("v.nullable", toValibot(nullable, context));

  const parts: Doc[] = [];
  if (facts.values !== undefined) {
    parts.push(valuesSchema(facts.values, context));
    if (valuesNeedCore(facts)) parts.push(typeCore(facts, context));
  } else if (facts.types !== undefined || hasTypeFacets(facts)) parts.push(typeCore(facts, context));
  for (const member of facts.allOf) parts.push(toValibot(member, context));
  if (facts.anyOf !== undefined) parts.push(unionOf(facts.anyOf, context));
  if (facts.oneOf !== undefined) parts.push(oneOf(facts.oneOf, context));

  let schema: Doc =
    parts.length === 0 ? "v.unknown()" : parts.length === 1 ? parts[0]! : call("v.intersect", arrayLiteral(parts));
  if (facts.not !== undefined) {
    schema = refine(
      schema,
      call("doesNotMatch", toValibot(facts.not, context)),
      "Expected a value that does not match 'not'",
      context,
    );
  }
  if (facts.conditional !== undefined) {
    const { if: condition, then, else: otherwise } = facts.conditional;
    const predicate = call(
      "conditional",
      toValibot(condition, context),
      then === undefined ? "undefined" : toValibot(then, context),
      otherwise === undefined ? "undefined" : toValibot(otherwise, context),
    );
    schema = refine(schema, predicate, "Expected the value to match 'then' or 'else' of its 'if'", context);
  }
  return schema;
}

export function hasTypeFacets(facts: SchemaFacts): boolean {
  return (
    facts.string !== undefined || facts.number !== undefined || facts.array !== undefined || facts.object !== undefined
  );
}

/** The branches a node's type keywords apply to; without `type`, every JSON type (only some constrained). */
export function branchesOf(facts: SchemaFacts): readonly Branch[] {
  return facts.types ?? ["object", "array", "string", "number", "boolean", "null"];
}

function typeCore(facts: SchemaFacts, context: RenderContext): Doc {
  const branches = branchesOf(facts).map((branch) => branchSchema(branch, facts, context));
  return branches.length === 1 ? branches[0]! : call("v.union", arrayLiteral(branches));
}

function branchSchema(branch: Branch, facts: SchemaFacts, context: RenderContext): Doc {
  switch (branch) {
    case "string": {
      const s = facts.string ?? {};
      const actions: Doc[] = [];
      if (s.minLength !== undefined) actions.push(call("v.minLength", String(s.minLength)));
      if (s.maxLength !== undefined) actions.push(call("v.maxLength", String(s.maxLength)));
      if (s.pattern !== undefined) actions.push(call("v.regex", s.pattern.literal));
      if (s.format !== undefined) actions.push(call(`v.${ASSERTED_FORMATS[s.format]}`));
      return piped("v.string()", actions);
    }
    case "number":
    case "integer": {
      const n = facts.number ?? {};
      const actions: Doc[] = branch === "integer" ? [call("v.integer")] : [];
      if (n.minimum !== undefined) actions.push(call("v.minValue", number(n.minimum)));
      if (n.exclusiveMinimum !== undefined) actions.push(call("v.gtValue", number(n.exclusiveMinimum)));
      if (n.maximum !== undefined) actions.push(call("v.maxValue", number(n.maximum)));
      if (n.exclusiveMaximum !== undefined) actions.push(call("v.ltValue", number(n.exclusiveMaximum)));
      if (n.multipleOf !== undefined) actions.push(call("v.multipleOf", number(n.multipleOf)));
      return piped("v.number()", actions);
    }
    case "boolean":
      return "v.boolean()";
    case "null":
      return "v.null()";
    case "array":
      return arraySchema(facts.array, context);
    case "object":
      return objectSchema(facts.object, context, { guard: true }).schema;
  }
}

function arraySchema(a: ArrayFacts | undefined, context: RenderContext): Doc {
  if (a === undefined) return call("v.array", "v.unknown()");
  const actions: Doc[] = [];
  let core: Doc;
  if (a.tuple !== undefined) {
    const required = a.minItems ?? 0;
    const items = a.tuple.map((item, i) =>
      i < required ? toValibot(item, context) : call("v.optional", toValibot(item, context)),
    );
    const rest = a.additionalItems;
    if (rest === undefined || acceptsAnything(rest.schema)) core = call("v.looseTuple", arrayLiteral(items));
    else if (acceptsNothing(rest.schema)) core = call("v.strictTuple", arrayLiteral(items));
    else core = call("v.tupleWithRest", arrayLiteral(items), toValibot(rest, context));
    // Positions below minItems are required, so a smaller minItems is already enforced.
    if (a.minItems !== undefined && a.minItems > a.tuple.length) actions.push(call("v.minLength", String(a.minItems)));
  } else {
    core = call("v.array", a.items === undefined ? "v.unknown()" : toValibot(a.items, context));
    if (a.minItems !== undefined) actions.push(call("v.minLength", String(a.minItems)));
  }
  if (a.maxItems !== undefined) actions.push(call("v.maxLength", String(a.maxItems)));
  let schema = piped(core, actions);
  if (a.uniqueItems) schema = refine(schema, "isUnique", "Invalid items: Expected unique items", context);
  if (a.contains !== undefined) {
    const min = a.minContains ?? 1;
    const max = a.maxContains ?? Number.MAX_SAFE_INTEGER;
    const predicate = call("containsItems", toValibot(a.contains, context), String(min), number(max));
    schema = refine(schema, predicate, `Invalid items: Expected ${min} to ${max} items matching 'contains'`, context);
  }
  return schema;
}

/**
 * An object schema. `guard: false` leaves out the array guard, for variant
 * options (a discriminator member cannot be present on an array).
 */
export function objectSchema(
  o: ObjectFacts | undefined,
  context: RenderContext,
  { guard }: { guard: boolean },
): ObjectRender {
  const wrap = (core: Doc): Doc => {
    if (!guard) return core;
    context.helpers.add("jsonObject");
    return call("jsonObject", core);
  };
  if (o === undefined) return { schema: wrap(call("v.looseObject", "{}")), refined: false };
  const required = new Set(o.required);
  const entries: [string, Doc][] = o.properties.map(([key, schema]) => {
    const value = toValibot(schema, context);
    return [propertyKey(key), required.has(key) ? value : call("v.optional", value)];
  });
  const declared = new Set(o.properties.map(([key]) => key));
  // `required` may name members `properties` does not describe: present, any value.
  for (const key of o.required) if (!declared.has(key)) entries.push([propertyKey(key), "v.unknown()"]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const additional = o.additionalProperties;
  const anyMore = additional === undefined || acceptsAnything(additional.schema);
  const noMore = additional !== undefined && acceptsNothing(additional.schema);
  const shape = objectLiteral(entries);
  const checks: [Doc, string][] = [];
  let namesInKey = false;
  let core: Doc;
  if (o.patternProperties.length > 0) {
    core = call("v.looseObject", shape);
    const patterns = arrayLiteral(
      o.patternProperties.map(([pattern, schema]) => arrayLiteral([pattern.literal, toValibot(schema, context)])),
    );
    const rest = anyMore ? "undefined" : noMore ? "false" : toValibot(additional!, context);
    const names = arrayLiteral([...declared].sort().map((key) => JSON.stringify(key)));
    checks.push([
      call("patternProperties", names, patterns, rest),
      "Invalid entries: Expected members matching 'patternProperties'",
    ]);
  } else if (noMore) core = call("v.strictObject", shape);
  else if (anyMore) core = call("v.looseObject", shape);
  else if (entries.length === 0) {
    const key = o.propertyNames === undefined ? undefined : stringKeySchema(o.propertyNames, context);
    namesInKey = key !== undefined;
    core = call("v.record", key ?? "v.string()", toValibot(additional!, context));
  } else core = call("v.objectWithRest", shape, toValibot(additional!, context));

  const actions: Doc[] = [];
  if (o.minProperties !== undefined) actions.push(call("v.minEntries", String(o.minProperties)));
  if (o.maxProperties !== undefined) actions.push(call("v.maxEntries", String(o.maxProperties)));
  // Keys are strings: `propertyNames: {type: "string"}` (what valibot writes for records) says nothing more.
  const anyNames = o.propertyNames !== undefined && stringKeySchema(o.propertyNames, context) === "v.string()";
  if (o.propertyNames !== undefined && !namesInKey && !anyNames) {
    checks.push([
      call("namesMatch", toValibot(o.propertyNames, context)),
      "Invalid key: Expected keys matching 'propertyNames'",
    ]);
  }
  if (o.dependentRequired.length > 0) {
    const list = arrayLiteral(
      o.dependentRequired.map(([key, names]) =>
        arrayLiteral([JSON.stringify(key), arrayLiteral(names.map((n) => JSON.stringify(n)))]),
      ),
    );
    checks.push([call("dependentRequired", list), "Invalid entries: Expected the members 'dependentRequired' names"]);
  }
  if (o.dependentSchemas.length > 0) {
    const list = arrayLiteral(
      o.dependentSchemas.map(([key, schema]) => arrayLiteral([JSON.stringify(key), toValibot(schema, context)])),
    );
    checks.push([
      call("dependentSchemas", list),
      "Invalid entries: Expected the object to match its 'dependentSchemas'",
    ]);
  }
  let schema = piped(wrap(core), actions);
  for (const [predicate, message] of checks) schema = refine(schema, predicate, message, context);
  return { schema, refined: checks.length > 0 || actions.length > 0 };
}

/** `propertyNames` as a record key schema when it only constrains strings; else `undefined` (checked instead). */
function stringKeySchema(located: Located, context: RenderContext): Doc | undefined {
  const facts = readSchema(located, context.diagnostics);
  if (facts.trivial === "any") return "v.string()";
  const onlyString =
    facts.trivial === undefined &&
    (facts.types === undefined || (facts.types.length === 1 && facts.types[0] === "string")) &&
    facts.values === undefined &&
    facts.number === undefined &&
    facts.array === undefined &&
    facts.object === undefined &&
    facts.allOf.length === 0 &&
    facts.anyOf === undefined &&
    facts.oneOf === undefined &&
    facts.not === undefined &&
    facts.conditional === undefined;
  return onlyString ? branchSchema("string", facts, context) : undefined;
}

function unionOf(options: readonly Located[], context: RenderContext): Doc {
  const rendered = options.map((option) => toValibot(option, context));
  return rendered.length === 1 ? rendered[0]! : call("v.union", arrayLiteral(rendered));
}

/**
 * `oneOf`: a `v.variant` when the options are objects told apart by distinct
 * constants of one required member (then "exactly one" holds by
 * construction); otherwise a union checked for exactly one match.
 */
function oneOf(options: readonly Located[], context: RenderContext): Doc {
  const discriminated = discriminatorOf(options, context, (facts) => objectSchema(facts, context, { guard: false }));
  if (discriminated !== undefined) {
    return call("v.variant", JSON.stringify(discriminated.key), arrayLiteral(discriminated.options));
  }
  if (options.length === 1) return toValibot(options[0]!, context);
  context.helpers.add("oneOf");
  return call("oneOf", arrayLiteral(options.map((option) => toValibot(option, context))));
}

function valuesSchema(values: readonly JsonValue[], context: RenderContext): Doc {
  const picks: JsonValue[] = [];
  const others: Doc[] = [];
  const booleans = values.filter((value) => typeof value === "boolean");
  for (const value of values) {
    const type = jsonTypeOf(value);
    if (type === "string" || type === "number") picks.push(value);
    else if (type === "null") others.push("v.null()");
    else if (type === "object" || type === "array") {
      context.helpers.add("equalTo");
      others.push(
        call(
          `v.custom<${print(jsonValueType(value))}>`,
          call("equalTo", JSON.stringify(value)),
          JSON.stringify(`Invalid input: Expected ${JSON.stringify(value)}`),
        ),
      );
    }
  }
  const parts: Doc[] = [];
  if (picks.length === 1) parts.push(call("v.literal", JSON.stringify(picks[0])));
  else if (picks.length > 1) parts.push(call("v.picklist", arrayLiteral(picks.map((pick) => JSON.stringify(pick)))));
  if (booleans.length === 2) parts.push("v.boolean()");
  else if (booleans.length === 1) parts.push(call("v.literal", String(booleans[0])));
  parts.push(...others);
  if (parts.length === 0) return "v.never()";
  return parts.length === 1 ? parts[0]! : call("v.union", arrayLiteral(parts));
}

function piped(core: Doc, actions: readonly Doc[]): Doc {
  return actions.length === 0 ? core : call("v.pipe", core, ...actions);
}

/** `refine(schema, predicate, message)`; the predicate is a helper or a call of one. */
function refine(schema: Doc, predicate: Doc, message: string, context: RenderContext): Doc {
  context.helpers.add("refine");
  const name = typeof predicate === "string" ? predicate : predicate.kind === "call" ? predicate.callee : "";
  if (!isHelper(name)) throw new Error(`codegen: refinement without a helper: ${name}`);
  context.helpers.add(name);
  return call("refine", schema, predicate, JSON.stringify(message));
}

/** JSON numbers are finite, and `String` writes every finite number as a valid literal. */
function number(value: number): string {
  return String(value);
}
