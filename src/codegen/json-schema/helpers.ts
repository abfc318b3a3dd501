/**
 * Small functions a generated `schemas.ts` defines for the JSON Schema
 * keywords valibot has no action for. Only the helpers a package uses are
 * written, in this fixed order, each after the helpers it needs.
 *
 * Generated validators never transform (no defaults, no stripping), so a
 * refinement sees exactly the input and these checks are exact.
 */
export type Helper =
  | "isJsonObject"
  | "jsonObject"
  | "refine"
  | "jsonEqual"
  | "equalTo"
  | "isUnique"
  | "containsItems"
  | "oneOf"
  | "doesNotMatch"
  | "conditional"
  | "namesMatch"
  | "patternProperties"
  | "dependentRequired"
  | "dependentSchemas";

const HELPERS: { readonly [H in Helper]: { readonly needs: readonly Helper[]; readonly code: string } } = {
  isJsonObject: {
    needs: [],
    code: `const isJsonObject = (input: unknown): input is { [key: string]: unknown } =>
  typeof input === "object" && input !== null && !Array.isArray(input);`,
  },
  jsonObject: {
    needs: ["isJsonObject"],
    code: `/** JSON objects only: valibot's object and record schemas also accept arrays. */
function jsonObject<const TSchema extends v.GenericSchema>(schema: TSchema) {
  return v.pipe(v.custom<v.InferInput<TSchema>>(isJsonObject, "Invalid type: Expected object"), schema);
}`,
  },
  refine: {
    needs: [],
    code: `/** A check that keeps the schema's type (generated validators never transform, so checks see the input). */
function refine<const TSchema extends v.GenericSchema>(
  schema: TSchema,
  requirement: (input: unknown) => boolean,
  message: string,
) {
  return v.pipe(schema, v.check<v.InferOutput<TSchema>, string>(requirement, message));
}`,
  },
  jsonEqual: {
    needs: [],
    code: `function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const left = a as { [key: string]: unknown };
  const right = b as { [key: string]: unknown };
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((k) => Object.hasOwn(right, k) && jsonEqual(left[k], right[k]));
}`,
  },
  equalTo: {
    needs: ["jsonEqual"],
    code: `const equalTo =
  (value: unknown) =>
  (input: unknown): boolean =>
    jsonEqual(input, value);`,
  },
  isUnique: {
    needs: ["jsonEqual"],
    code: `const isUnique = (input: unknown): boolean =>
  !Array.isArray(input) || input.every((item, i) => input.findIndex((other) => jsonEqual(other, item)) === i);`,
  },
  containsItems: {
    needs: [],
    code: `const containsItems =
  (schema: v.GenericSchema, min: number, max: number) =>
  (input: unknown): boolean => {
    if (!Array.isArray(input)) return true;
    const count = input.filter((item) => v.is(schema, item)).length;
    return count >= min && count <= max;
  };`,
  },
  oneOf: {
    needs: ["refine"],
    code: `/** JSON Schema \`oneOf\`: exactly one option matches. */
function oneOf<const TOptions extends readonly v.GenericSchema[]>(options: TOptions) {
  return refine(
    v.union(options),
    (input) => options.filter((option) => v.is(option, input)).length === 1,
    "Invalid input: Expected exactly one oneOf option to match",
  );
}`,
  },
  doesNotMatch: {
    needs: [],
    code: `const doesNotMatch =
  (schema: v.GenericSchema) =>
  (input: unknown): boolean =>
    !v.is(schema, input);`,
  },
  conditional: {
    needs: [],
    code: `const conditional =
  (condition: v.GenericSchema, then: v.GenericSchema | undefined, otherwise: v.GenericSchema | undefined) =>
  (input: unknown): boolean => {
    const branch = v.is(condition, input) ? then : otherwise;
    return branch === undefined || v.is(branch, input);
  };`,
  },
  namesMatch: {
    needs: ["isJsonObject"],
    code: `const namesMatch =
  (schema: v.GenericSchema) =>
  (input: unknown): boolean =>
    !isJsonObject(input) || Object.keys(input).every((key) => v.is(schema, key));`,
  },
  patternProperties: {
    needs: ["isJsonObject"],
    code: `/** \`patternProperties\` with \`additionalProperties\` (\`false\`, a schema, or \`undefined\` for any). */
const patternProperties =
  (
    declared: readonly string[],
    patterns: readonly (readonly [RegExp, v.GenericSchema])[],
    additional: v.GenericSchema | false | undefined,
  ) =>
  (input: unknown): boolean =>
    !isJsonObject(input) ||
    Object.entries(input).every(([key, value]) => {
      const matching = patterns.filter(([pattern]) => pattern.test(key));
      if (!matching.every(([, schema]) => v.is(schema, value))) return false;
      if (matching.length > 0 || declared.includes(key) || additional === undefined) return true;
      return additional !== false && v.is(additional, value);
    });`,
  },
  dependentRequired: {
    needs: ["isJsonObject"],
    code: `const dependentRequired =
  (dependencies: readonly (readonly [string, readonly string[]])[]) =>
  (input: unknown): boolean =>
    !isJsonObject(input) ||
    dependencies.every(([key, required]) => !Object.hasOwn(input, key) || required.every((r) => Object.hasOwn(input, r)));`,
  },
  dependentSchemas: {
    needs: ["isJsonObject"],
    code: `const dependentSchemas =
  (dependencies: readonly (readonly [string, v.GenericSchema])[]) =>
  (input: unknown): boolean =>
    !isJsonObject(input) || dependencies.every(([key, schema]) => !Object.hasOwn(input, key) || v.is(schema, input));`,
  },
};

const ORDER = Object.keys(HELPERS) as Helper[];

export function isHelper(name: string): name is Helper {
  return Object.hasOwn(HELPERS, name);
}

/** The code of `used` and everything they need, in dependency order. */
export function renderHelpers(used: ReadonlySet<Helper>): string[] {
  const wanted = new Set<Helper>();
  const add = (helper: Helper) => {
    if (wanted.has(helper)) return;
    wanted.add(helper);
    for (const need of HELPERS[helper].needs) add(need);
  };
  for (const helper of used) add(helper);
  return ORDER.filter((helper) => wanted.has(helper)).map((helper) => HELPERS[helper].code);
}
