import type { JsonSchema } from "../../contracts/index.ts";
import { code, sortedKeys, table } from "./markdown.ts";
import { constraintsText, descriptionText, hasProperties, isSchemaObject, typeText } from "./schema-text.ts";

/** Nesting and size limits: a reference table stays readable, and absurd schemas stay bounded. */
const MAX_DEPTH = 12;
const MAX_ROWS = 400;

type Row = [property: string, type: string, required: string, constraints: string, description: string];

/**
 * A schema as a table of properties: nested objects flattened with dotted
 * paths (`customer.id`), array items as `[]` (`items[].sku`), other
 * properties of a record as `*` (`info.*`). A schema that is not an object
 * with properties is one row, `(value)`.
 */
export function schemaTable(schema: JsonSchema): string {
  const rows: Row[] = [];
  if (objectShapes(schema).length > 0) flattenObject(schema, "", rows, 0);
  else if (isEmptyObject(schema)) return "An object with no properties.";
  else rows.push(["(value)", typeText(schema), "yes", constraintsText(schema), descriptionText(schema)]);
  if (rows.length > MAX_ROWS) {
    const hidden = rows.length - MAX_ROWS;
    rows.length = MAX_ROWS;
    rows.push([`… ${hidden} more`, "", "", "", ""]);
  }
  return table(
    ["Property", "Type", "Required", "Constraints", "Description"],
    rows.map(([property, ...rest]) => [
      property === "(value)" || property.startsWith("…") ? property : code(property),
      ...rest,
    ]),
  );
}

/** `{type: "object", properties: {}}` and nothing else that constrains it. */
function isEmptyObject(schema: unknown): boolean {
  return (
    isSchemaObject(schema) &&
    schema.type === "object" &&
    isSchemaObject(schema.properties) &&
    Object.keys(schema.properties).length === 0 &&
    schema.additionalProperties === undefined &&
    schema.patternProperties === undefined
  );
}

/**
 * The object shapes a schema describes: itself, or the object variants of a
 * nullable/union schema (`anyOf: [{object}, {type: null}]`).
 */
function objectShapes(schema: unknown): Record<string, unknown>[] {
  if (!isSchemaObject(schema)) return [];
  if (hasProperties(schema)) return isEmptyObject(schema) ? [] : [schema];
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : [];
  return variants.filter((variant): variant is Record<string, unknown> => hasProperties(variant));
}

function flattenObject(schema: unknown, prefix: string, rows: Row[], depth: number): void {
  if (depth > MAX_DEPTH || rows.length > MAX_ROWS) return;
  const shapes = objectShapes(schema);
  shapes.forEach((shape, index) => {
    const variant = shapes.length > 1 ? `variant ${index + 1}` : "";
    const properties = shape.properties as Record<string, unknown>;
    const required = new Set(Array.isArray(shape.required) ? shape.required.map(String) : []);
    for (const name of sortedKeys(properties)) {
      const property = properties[name];
      const path = prefix === "" ? name : `${prefix}.${name}`;
      addRow(rows, path, property, required.has(name), variant, depth);
    }
    if (isSchemaObject(shape.additionalProperties) || shape.additionalProperties === true) {
      const path = prefix === "" ? "*" : `${prefix}.*`;
      addRow(rows, path, shape.additionalProperties, false, variant, depth);
    }
  });
}

function addRow(rows: Row[], path: string, schema: unknown, required: boolean, variant: string, depth: number): void {
  const constraints = [variant, constraintsText(schema)].filter((text) => text !== "").join("; ");
  rows.push([path, typeText(schema), required ? "yes" : "no", constraints, descriptionText(schema)]);
  if (objectShapes(schema).length > 0) flattenObject(schema, path, rows, depth + 1);
  else if (isSchemaObject(schema) && isSchemaObject(schema.additionalProperties)) {
    addRow(rows, `${path}.*`, schema.additionalProperties, false, "", depth + 1);
  }
  const items = isSchemaObject(schema) ? schema.items : undefined;
  if (objectShapes(items).length > 0) flattenObject(items, `${path}[]`, rows, depth + 1);
}
