import type { JsonSchema, JsonValue } from "../../contracts/index.ts";
import { code } from "./markdown.ts";

/** Words for a schema in a reference table: its type, and its constraints. */

type SchemaObject = { [keyword: string]: unknown };

export const isSchemaObject = (schema: unknown): schema is SchemaObject =>
  typeof schema === "object" && schema !== null && !Array.isArray(schema);

const valueType = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;

const variantsOf = (schema: SchemaObject): unknown[] | undefined =>
  (Array.isArray(schema.anyOf) ? schema.anyOf : undefined) ?? (Array.isArray(schema.oneOf) ? schema.oneOf : undefined);

/** `string`, `integer | null`, `object[]`, `any`, `never`. */
export function typeText(schema: JsonSchema | unknown): string {
  if (schema === true) return "any";
  if (schema === false) return "never";
  if (!isSchemaObject(schema)) return "any";
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type.map(String) : [String(schema.type)];
    return types.map((type) => (type === "array" ? `${itemTypeText(schema)}[]` : type)).join(" | ");
  }
  if (schema.const !== undefined) return valueType(schema.const);
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map(valueType))].join(" | ");
  const variants = variantsOf(schema);
  if (variants !== undefined) return [...new Set(variants.map(typeText))].join(" | ");
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return typeText(schema.allOf[0]);
  if (schema.properties !== undefined) return "object";
  return "any";
}

function itemTypeText(schema: SchemaObject): string {
  const items = schema.items;
  if (Array.isArray(items)) return `[${items.map(typeText).join(", ")}]`;
  const text = items === undefined ? "any" : typeText(items);
  return text.includes(" | ") ? `(${text})` : text;
}

const json = (value: unknown) => code(JSON.stringify(value as JsonValue));

/** `length 1–50`, `≥ 0`, `one of "a", "b"`, `no other properties`... */
export function constraintsText(schema: JsonSchema | unknown): string {
  if (!isSchemaObject(schema)) return "";
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map(json).join(", ")}`);
  if (schema.const !== undefined) parts.push(`= ${json(schema.const)}`);
  const range = (low: string, high: string, unit: string) => {
    const min = schema[low];
    const max = schema[high];
    if (typeof min === "number" && typeof max === "number") parts.push(`${unit}${min}–${max}`);
    else if (typeof min === "number") parts.push(`${unit}≥ ${min}`);
    else if (typeof max === "number") parts.push(`${unit}≤ ${max}`);
  };
  range("minimum", "maximum", "");
  if (typeof schema.exclusiveMinimum === "number") parts.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.exclusiveMaximum === "number") parts.push(`< ${schema.exclusiveMaximum}`);
  if (typeof schema.multipleOf === "number") parts.push(`multiple of ${schema.multipleOf}`);
  range("minLength", "maxLength", "length ");
  if (typeof schema.pattern === "string") parts.push(`pattern ${code(schema.pattern)}`);
  if (typeof schema.format === "string") parts.push(`format ${schema.format}`);
  range("minItems", "maxItems", "items ");
  if (schema.uniqueItems === true) parts.push("unique items");
  range("minProperties", "maxProperties", "properties ");
  if (schema.additionalProperties === false) parts.push("no other properties");
  if (schema.default !== undefined) parts.push(`default ${json(schema.default)}`);
  // Arrays of plain values: the item constraints belong to this row.
  if (isSchemaObject(schema.items) && !hasProperties(schema.items)) {
    const each = constraintsText(schema.items);
    if (each !== "") parts.push(`each: ${each}`);
  }
  return parts.join("; ");
}

export function hasProperties(schema: unknown): boolean {
  return isSchemaObject(schema) && isSchemaObject(schema.properties);
}

export function descriptionText(schema: JsonSchema | unknown): string {
  if (!isSchemaObject(schema)) return "";
  const text = typeof schema.description === "string" ? schema.description : schema.title;
  return typeof text === "string" ? text : "";
}
