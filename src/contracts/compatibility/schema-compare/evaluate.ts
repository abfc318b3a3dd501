import type { JsonValue } from "../../json/pure-json.ts";
import type { JsonSchema } from "../../manifest/types.ts";
import { classifyKeyword } from "./keywords.ts";
import { codePointLength, isObject, jsonEqual, keyOf } from "./values.ts";

/**
 * Three-valued validation of one concrete value: `true` (accepted), `false`
 * (rejected) or `undefined` (cannot tell: a `format`, an interacting or
 * unknown keyword, a pattern this engine cannot compile). The comparer uses it
 * to check the members of a finite set (enum, const, `true`/`false`/`null`)
 * against the other schema, and treats "cannot tell" as not proven.
 */
export type Verdict = boolean | undefined;

const MAX_DEPTH = 128;

export function evaluate(value: JsonValue, schema: JsonSchema, depth = 0): Verdict {
  if (schema === true) return true;
  if (schema === false) return false;
  if (depth > MAX_DEPTH) return undefined;
  const verdicts: Verdict[] = [];
  for (const keyword of Object.keys(schema)) {
    const verdict = evaluateKeyword(value, schema, keyword, depth);
    if (verdict === false) return false;
    verdicts.push(verdict);
  }
  return verdicts.includes(undefined) ? undefined : true;
}

export function evaluateAll(value: JsonValue, schemas: readonly JsonSchema[]): Verdict {
  return and(schemas.map((schema) => evaluate(value, schema)));
}

function and(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes(false)) return false;
  return verdicts.includes(undefined) ? undefined : true;
}

function or(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes(true)) return true;
  return verdicts.includes(undefined) ? undefined : false;
}

function not(verdict: Verdict): Verdict {
  return verdict === undefined ? undefined : !verdict;
}

const asSchema = (value: unknown): JsonSchema | undefined =>
  typeof value === "boolean" || isObject(value) ? (value as JsonSchema) : undefined;

function schemaArray(value: unknown): JsonSchema[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const schemas = value.map(asSchema);
  return schemas.every((schema) => schema !== undefined) ? (schemas as JsonSchema[]) : undefined;
}

function typeMatches(value: JsonValue, name: unknown): Verdict {
  switch (name) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "string":
      return typeof value === "string";
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return undefined;
  }
}

function isMultiple(value: number, divisor: number): Verdict {
  const quotient = value / divisor;
  if (Number.isInteger(quotient)) return true;
  // Floating point: 0.3 / 0.1 is 2.9999999999999996. Too close to call.
  return Math.abs(quotient - Math.round(quotient)) < 1e-9 ? undefined : false;
}

function compilePattern(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== "string") return undefined;
  try {
    return new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
}

function evaluateKeyword(value: JsonValue, schema: Record<string, unknown>, keyword: string, depth: number): Verdict {
  const raw = schema[keyword];
  const sub = (child: unknown, instance: JsonValue): Verdict => {
    const childSchema = asSchema(child);
    return childSchema === undefined ? undefined : evaluate(instance, childSchema, depth + 1);
  };
  const num = typeof raw === "number" ? raw : undefined;

  switch (keyword) {
    case "type":
      return Array.isArray(raw) ? or(raw.map((name) => typeMatches(value, name))) : typeMatches(value, raw);
    case "enum":
      return Array.isArray(raw) ? raw.some((member) => jsonEqual(member as JsonValue, value)) : undefined;
    case "const":
      return jsonEqual(raw as JsonValue, value);
    case "minimum":
      return typeof value !== "number" ? true : num === undefined ? undefined : value >= num;
    case "maximum":
      return typeof value !== "number" ? true : num === undefined ? undefined : value <= num;
    case "exclusiveMinimum":
      return typeof value !== "number" ? true : num === undefined ? undefined : value > num;
    case "exclusiveMaximum":
      return typeof value !== "number" ? true : num === undefined ? undefined : value < num;
    case "multipleOf":
      return typeof value !== "number" ? true : num === undefined || num <= 0 ? undefined : isMultiple(value, num);
    case "minLength":
      return typeof value !== "string" ? true : num === undefined ? undefined : codePointLength(value) >= num;
    case "maxLength":
      return typeof value !== "string" ? true : num === undefined ? undefined : codePointLength(value) <= num;
    case "pattern": {
      if (typeof value !== "string") return true;
      const regex = compilePattern(raw);
      return regex === undefined ? undefined : regex.test(value);
    }
    case "format":
      // Formats are checked by the runtime's validators, not here.
      return typeof value !== "string" ? true : undefined;
    case "minItems":
      return !Array.isArray(value) ? true : num === undefined ? undefined : value.length >= num;
    case "maxItems":
      return !Array.isArray(value) ? true : num === undefined ? undefined : value.length <= num;
    case "uniqueItems":
      if (!Array.isArray(value) || raw !== true) return true;
      return new Set(value.map((item) => keyOf(item))).size === value.length;
    case "items": {
      if (!Array.isArray(value)) return true;
      const tuple = schemaArray(raw);
      if (tuple !== undefined)
        return and(value.slice(0, tuple.length).map((item, i) => evaluate(item, tuple[i]!, depth + 1)));
      return and(value.map((item) => sub(raw, item)));
    }
    case "additionalItems": {
      if (!Array.isArray(value)) return true;
      const tuple = schemaArray(schema.items);
      if (tuple === undefined) return true; // only applies next to a tuple `items`
      return and(value.slice(tuple.length).map((item) => sub(raw, item)));
    }
    case "contains":
    case "minContains":
    case "maxContains":
      return keyword === "contains" ? evaluateContains(value, schema, depth) : true;
    case "properties": {
      if (!isObject(value)) return true;
      if (!isObject(raw)) return undefined;
      return and(
        Object.keys(raw)
          .filter((name) => Object.hasOwn(value, name))
          .map((name) => sub(raw[name], value[name]!)),
      );
    }
    case "patternProperties": {
      if (!isObject(value)) return true;
      if (!isObject(raw)) return undefined;
      const verdicts: Verdict[] = [];
      for (const [pattern, child] of Object.entries(raw)) {
        const regex = compilePattern(pattern);
        if (regex === undefined) return undefined;
        for (const name of Object.keys(value)) if (regex.test(name)) verdicts.push(sub(child, value[name]!));
      }
      return and(verdicts);
    }
    case "additionalProperties": {
      if (!isObject(value)) return true;
      const declared = isObject(schema.properties) ? schema.properties : {};
      const patterns = isObject(schema.patternProperties) ? Object.keys(schema.patternProperties) : [];
      const regexes = patterns.map(compilePattern);
      if (regexes.includes(undefined)) return undefined;
      const others = Object.keys(value).filter(
        (name) => !Object.hasOwn(declared, name) && !regexes.some((regex) => regex!.test(name)),
      );
      return and(others.map((name) => sub(raw, value[name]!)));
    }
    case "required":
      if (!isObject(value)) return true;
      return Array.isArray(raw)
        ? raw.every((name) => typeof name === "string" && Object.hasOwn(value, name))
        : undefined;
    case "minProperties":
      return !isObject(value) ? true : num === undefined ? undefined : Object.keys(value).length >= num;
    case "maxProperties":
      return !isObject(value) ? true : num === undefined ? undefined : Object.keys(value).length <= num;
    case "propertyNames":
      return !isObject(value) ? true : and(Object.keys(value).map((name) => sub(raw, name)));
    case "dependentRequired":
      if (!isObject(value)) return true;
      if (!isObject(raw)) return undefined;
      return Object.entries(raw).every(
        ([name, needs]) =>
          !Object.hasOwn(value, name) ||
          (Array.isArray(needs) && needs.every((need) => typeof need === "string" && Object.hasOwn(value, need))),
      );
    case "dependentSchemas":
      if (!isObject(value)) return true;
      if (!isObject(raw)) return undefined;
      return and(
        Object.entries(raw)
          .filter(([name]) => Object.hasOwn(value, name))
          .map(([, child]) => sub(child, value)),
      );
    case "allOf":
      return schemaArray(raw) === undefined ? undefined : and(schemaArray(raw)!.map((child) => sub(child, value)));
    case "anyOf":
      return schemaArray(raw) === undefined ? undefined : or(schemaArray(raw)!.map((child) => sub(child, value)));
    case "oneOf": {
      const variants = schemaArray(raw);
      if (variants === undefined) return undefined;
      const verdicts = variants.map((child) => sub(child, value));
      const matches = verdicts.filter((verdict) => verdict === true).length;
      if (matches > 1) return false;
      if (verdicts.includes(undefined)) return undefined;
      return matches === 1;
    }
    case "not":
      return not(sub(raw, value));
    case "if": {
      const condition = sub(raw, value);
      if (condition === undefined) return undefined;
      const branch = condition ? schema.then : schema.else;
      return branch === undefined ? true : sub(branch, value);
    }
    case "then":
    case "else":
      return true; // evaluated with `if`
    default:
      return classifyKeyword(keyword) === "annotation" ? true : undefined;
  }
}

function evaluateContains(value: JsonValue, schema: Record<string, unknown>, depth: number): Verdict {
  if (!Array.isArray(value)) return true;
  const child = asSchema(schema.contains);
  if (child === undefined) return undefined;
  const verdicts = value.map((item) => evaluate(item, child, depth + 1));
  if (verdicts.includes(undefined)) return undefined;
  const count = verdicts.filter(Boolean).length;
  const min = typeof schema.minContains === "number" ? schema.minContains : 1;
  const max = typeof schema.maxContains === "number" ? schema.maxContains : Infinity;
  return count >= min && count <= max;
}
