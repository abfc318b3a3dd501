import { intBelow, pick, type Random } from "../../contracts/prng.ts";

/**
 * A seeded instance generator driven by a JSON Schema (the subset authoring
 * emits: object/properties/required/additionalProperties/propertyNames,
 * arrays and tuples, enum/const, anyOf/oneOf/allOf, numeric and string
 * bounds, pattern, integer, `{}`). `valid` builds a value meant to satisfy
 * the schema; `mutate` takes one and breaks it in one targeted place (a
 * wrong type, a missing or null member, a bound crossed by one, a value
 * outside an enum, an extra member of a closed object, ...), at the root or
 * at a random depth. Which verdict a value really gets is for the
 * validators under test to say; the generator only aims.
 */
type Schema = boolean | { readonly [keyword: string]: unknown };
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const CHARS = ["a", "b", "z", "0", "-", "_", " ", "é", "ß", "日", "😀", "𝄞"];

export function validInstance(schema: Schema, random: Random, depth = 0): Json {
  if (typeof schema === "boolean" || Object.keys(schema).length === 0) return anyValue(random, depth);
  const s = schema as { [k: string]: unknown };
  if (Array.isArray(s.enum)) return structuredClone(pick(random, s.enum as Json[]));
  if ("const" in s) return structuredClone(s.const as Json);
  if (Array.isArray(s.anyOf)) return validInstance(pick(random, s.anyOf as Schema[]), random, depth + 1);
  if (Array.isArray(s.oneOf)) return validInstance(pick(random, s.oneOf as Schema[]), random, depth + 1);
  if (Array.isArray(s.allOf)) {
    const parts = (s.allOf as Schema[]).map((part) => validInstance(part, random, depth + 1));
    return parts.every(isObject) ? Object.assign({}, ...parts) : parts[0]!;
  }
  const type = Array.isArray(s.type) ? pick(random, s.type as string[]) : (s.type as string | undefined);
  switch (type) {
    case "string":
      return validString(s, random);
    case "integer":
    case "number":
      return validNumber(s, type === "integer", random);
    case "boolean":
      return random() < 0.5;
    case "null":
      return null;
    case "array":
      return validArray(s, random, depth);
    case "object":
      return validObject(s, random, depth);
    default:
      return anyValue(random, depth);
  }
}

function validString(s: { [k: string]: unknown }, random: Random): string {
  const min = (s.minLength as number | undefined) ?? 0;
  const max = (s.maxLength as number | undefined) ?? min + 8;
  const pattern = typeof s.pattern === "string" ? new RegExp(s.pattern) : undefined;
  for (let attempt = 0; attempt < 50; attempt++) {
    // Near the bounds half of the time: that is where readings of "length" differ.
    const length = random() < 0.5 ? pick(random, [min, max]) : min + intBelow(random, max - min + 1);
    let text = "";
    while (text.length < length) {
      const char = pick(random, CHARS);
      text += text.length + char.length <= length ? char : "a";
    }
    if (pattern === undefined || pattern.test(text)) return text;
  }
  return "";
}

function validNumber(s: { [k: string]: unknown }, integer: boolean, random: Random): number {
  let low = (s.minimum as number | undefined) ?? (s.exclusiveMinimum as number | undefined) ?? -1000;
  let high = (s.maximum as number | undefined) ?? (s.exclusiveMaximum as number | undefined) ?? 1000;
  if (typeof s.exclusiveMinimum === "number") low += integer ? 1 : 0.001;
  if (typeof s.exclusiveMaximum === "number") high -= integer ? 1 : 0.001;
  if (random() < 0.3)
    return pick(
      random,
      [low, high].map((n) => (integer ? Math.ceil(n) : n)),
    );
  const value = low + random() * (high - low);
  return integer ? Math.min(Math.floor(high), Math.max(Math.ceil(low), Math.round(value))) : value;
}

function validArray(s: { [k: string]: unknown }, random: Random, depth: number): Json[] {
  const min = (s.minItems as number | undefined) ?? 0;
  if (Array.isArray(s.items)) {
    const tuple = s.items as Schema[];
    const count = Math.max(min, intBelow(random, tuple.length + 1));
    const values = tuple.slice(0, count).map((item) => validInstance(item, random, depth + 1));
    const rest = s.additionalItems;
    if (rest !== undefined && rest !== false && random() < 0.3 && count === tuple.length) {
      values.push(validInstance(rest as Schema, random, depth + 1));
    }
    return values;
  }
  const max = Math.min((s.maxItems as number | undefined) ?? min + 3, min + (depth > 3 ? 1 : 4));
  const length = random() < 0.3 ? pick(random, [min, max]) : min + intBelow(random, max - min + 1);
  return Array.from({ length }, () => validInstance((s.items as Schema | undefined) ?? {}, random, depth + 1));
}

function validObject(s: { [k: string]: unknown }, random: Random, depth: number): { [key: string]: Json } {
  const properties = (s.properties ?? {}) as { [key: string]: Schema };
  const required = new Set((s.required ?? []) as string[]);
  const value: { [key: string]: Json } = {};
  for (const [key, property] of Object.entries(properties)) {
    if (required.has(key) || random() < 0.5) value[key] = validInstance(property, random, depth + 1);
  }
  const additional = s.additionalProperties;
  const names = s.propertyNames as { pattern?: string } | undefined;
  if (additional !== false && random() < 0.4 && depth < 4) {
    const key =
      names?.pattern !== undefined
        ? validString(names as { [k: string]: unknown }, random)
        : `extra${intBelow(random, 100)}`;
    if (!(key in properties)) value[key] = validInstance((additional as Schema | undefined) ?? {}, random, depth + 1);
  }
  return value;
}

function anyValue(random: Random, depth: number): Json {
  const kinds =
    depth > 2 ? ["string", "number", "boolean", "null"] : ["string", "number", "boolean", "null", "object", "array"];
  switch (pick(random, kinds)) {
    case "string":
      return pick(random, ["", "x", "hello"]);
    case "number":
      return pick(random, [0, -1, 2.5, 1e21]);
    case "boolean":
      return random() < 0.5;
    case "null":
      return null;
    case "object":
      return { k: anyValue(random, depth + 1) };
    default:
      return [anyValue(random, depth + 1)];
  }
}

/** One targeted break of `value` (a valid instance of `schema`), somewhere in it. */
export function mutate(schema: Schema, value: Json, random: Random): Json {
  return mutateAt(schema, structuredClone(value), random, 0);
}

function mutateAt(schema: Schema, value: Json, random: Random, depth: number): Json {
  if (typeof schema === "boolean") return value;
  const s = schema as { [k: string]: unknown };
  // Go one level deeper (where the schema says what is there) or break this value.
  if (random() < 0.55 && depth < 6) {
    if (isObject(value) && isObject(s.properties as Json)) {
      const keys = Object.keys(value).filter((k) => k in (s.properties as object));
      if (keys.length > 0) {
        const key = pick(random, keys);
        value[key] = mutateAt((s.properties as { [k: string]: Schema })[key]!, value[key]!, random, depth + 1);
        return value;
      }
    }
    if (Array.isArray(value) && value.length > 0) {
      const index = intBelow(random, value.length);
      const item = Array.isArray(s.items) ? (s.items as Schema[])[index] : (s.items as Schema | undefined);
      if (item !== undefined) {
        value[index] = mutateAt(item, value[index]!, random, depth + 1);
        return value;
      }
    }
    for (const key of ["anyOf", "oneOf"]) {
      if (Array.isArray(s[key])) return mutateAt(pick(random, s[key] as Schema[]), value, random, depth + 1);
    }
  }
  return breakValue(s, value, random);
}

function breakValue(s: { [k: string]: unknown }, value: Json, random: Random): Json {
  const options: (() => Json)[] = [() => wrongType(value, random), () => null];
  if (Array.isArray(s.enum))
    options.push(
      () => "not-in-the-enum",
      () => 12345,
    );
  if ("const" in s) options.push(() => (s.const === "x" ? "y" : "x"));
  if (typeof value === "string") {
    if (typeof s.minLength === "number" && s.minLength > 0) options.push(() => "a".repeat((s.minLength as number) - 1));
    if (typeof s.maxLength === "number")
      options.push(
        () => "a".repeat((s.maxLength as number) + 1),
        () => "😀".repeat(s.maxLength as number),
      );
    if (typeof s.pattern === "string") options.push(() => "\u0000does-not-match");
  }
  if (typeof value === "number") {
    if (typeof s.minimum === "number")
      options.push(
        () => (s.minimum as number) - 1,
        () => (s.minimum as number) - 0.5,
      );
    if (typeof s.maximum === "number") options.push(() => (s.maximum as number) + 1);
    if (typeof s.exclusiveMinimum === "number") options.push(() => s.exclusiveMinimum as number);
    if (typeof s.exclusiveMaximum === "number") options.push(() => s.exclusiveMaximum as number);
    if (s.type === "integer") options.push(() => value + 0.5);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && s.minItems > 0)
      options.push(() => value.slice(0, (s.minItems as number) - 1));
    if (typeof s.maxItems === "number")
      options.push(() => [
        ...value,
        ...Array.from({ length: (s.maxItems as number) + 1 - value.length }, () => value[0] ?? null),
      ]);
    options.push(() => [...value, { unexpected: true }]);
  }
  if (isObject(value)) {
    const required = ((s.required ?? []) as string[]).filter((k) => k in value);
    if (required.length > 0) {
      options.push(() => {
        const copy = { ...value };
        delete copy[pick(random, required)];
        return copy;
      });
      options.push(() => ({ ...value, [pick(random, required)]: null }));
    }
    if (s.additionalProperties === false) options.push(() => ({ ...value, unexpectedMember: 1 }));
    if (isObject(s.additionalProperties as Json)) options.push(() => ({ ...value, extraMember: [[{}]] }));
    if (isObject(s.propertyNames as Json)) options.push(() => ({ ...value, "Bad Key!": 1 }));
    options.push(() => Object.values(value)); // an array where an object is expected
  }
  return pick(random, options)();
}

function wrongType(value: Json, random: Random): Json {
  if (typeof value === "string") return pick(random, [1, true, [value], { value }]);
  if (typeof value === "number") return pick(random, [String(value), false, [value]]);
  if (typeof value === "boolean") return pick(random, [0, "true", null]);
  if (value === null) return pick(random, [0, "", {}]);
  if (Array.isArray(value)) return pick(random, [{ ...value }, "[]", 0]);
  return pick(random, [[], "{}", 1]);
}

export function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `value` holds an array where `schema` says `type: "object"` (valibot's object schemas accept arrays). */
export function arrayAtObject(schema: Schema, value: Json): boolean {
  if (typeof schema === "boolean") return false;
  const s = schema as { [k: string]: unknown };
  if (s.type === "object" && Array.isArray(value)) return true;
  if (isObject(value) && isObject(s.properties as Json)) {
    for (const [key, child] of Object.entries(s.properties as { [k: string]: Schema })) {
      if (key in value && arrayAtObject(child, value[key]!)) return true;
    }
    if (isObject(s.additionalProperties as Json)) {
      for (const [key, child] of Object.entries(value)) {
        if (!(key in (s.properties as object)) && arrayAtObject(s.additionalProperties as Schema, child)) return true;
      }
    }
  }
  if (Array.isArray(value)) {
    return value.some((item, i) => {
      const child = Array.isArray(s.items) ? (s.items as Schema[])[i] : (s.items as Schema | undefined);
      return child !== undefined && arrayAtObject(child, item);
    });
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    if (Array.isArray(s[key]) && (s[key] as Schema[]).some((option) => arrayAtObject(option, value))) return true;
  }
  return false;
}
