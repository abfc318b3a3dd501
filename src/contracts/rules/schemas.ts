import type { ValidationIssue } from "../errors/builtin.ts";
import { isJsonObject } from "../schema/json-type.ts";
import { childPath, pathPointer, type PathNode } from "../schema/path-node.ts";

/**
 * §2.5 on the embedded JSON Schemas, walked iteratively (inputs may nest
 * thousands of levels): no `$ref` key at any depth, `type` only naming JSON
 * Schema's seven types. Beyond §2.5 (§8 leaves it open): the other reference
 * keywords are refused too (schemas must be self-contained), subschema
 * positions must hold schemas, and nesting is capped so that the pointer
 * check, the payload validator and canonicalization never recurse unbounded.
 */
export const MAX_SCHEMA_DEPTH = 256;

const REFERENCE_KEYS: ReadonlySet<string> = new Set(["$ref", "$recursiveRef", "$dynamicRef"]);
const JSON_TYPES: ReadonlySet<string> = new Set(["array", "boolean", "integer", "null", "number", "object", "string"]);

/** Keywords whose value is one subschema, an array of them, or a map of them (2019-09 plus drafts around it). */
const SINGLE = new Set([
  "additionalItems",
  "additionalProperties",
  "contains",
  "contentSchema",
  "else",
  "if",
  "not",
  "propertyNames",
  "then",
  "unevaluatedItems",
  "unevaluatedProperties",
]);
const LIST = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const MAP = new Set(["$defs", "definitions", "dependentSchemas", "patternProperties", "properties"]);

export type EmbeddedSchemaCheck = { issues: ValidationIssue[]; unsound: ReadonlySet<string> };

/** Checks every object/boolean entry of the raw `schemas` member; valibot reports the other types. */
export function checkEmbeddedSchemas(schemas: unknown): EmbeddedSchemaCheck {
  const issues: ValidationIssue[] = [];
  const unsound = new Set<string>();
  if (!isJsonObject(schemas)) return { issues, unsound };
  for (const [name, schema] of Object.entries(schemas)) {
    if (typeof schema !== "boolean" && !isJsonObject(schema)) continue;
    const found = checkEmbeddedSchema(schema, childPath(childPath(undefined, "schemas"), name));
    if (found.length > 0) {
      unsound.add(name);
      issues.push(...found);
    }
  }
  return { issues, unsound };
}

/** `role`: what the value is to JSON Schema, so `type` is checked only where it is a keyword. */
type Role = "schema" | "schema-list" | "schema-map" | "dependencies" | "data";
type Frame = { value: unknown; path: PathNode; role: Role; depth: number };

export function checkEmbeddedSchema(root: unknown, rootPath: PathNode): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stack: Frame[] = [{ value: root, path: rootPath, role: "schema", depth: 0 }];
  while (stack.length > 0) {
    const { value, path, role, depth } = stack.pop()!;
    const shapeProblem = roleProblem(value, role);
    if (shapeProblem !== undefined) {
      issues.push({ path: pathPointer(path), message: shapeProblem });
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_SCHEMA_DEPTH) {
      issues.push({ path: pathPointer(path), message: `schema nests deeper than ${MAX_SCHEMA_DEPTH} levels` });
      continue;
    }
    const children: Frame[] = [];
    if (Array.isArray(value)) {
      const itemRole = role === "schema-list" ? "schema" : "data";
      value.forEach((item, index) =>
        children.push({ value: item, path: childPath(path, index), role: itemRole, depth: depth + 1 }),
      );
    } else {
      for (const [key, child] of Object.entries(value)) {
        const at = childPath(path, key);
        if (REFERENCE_KEYS.has(key)) {
          issues.push({ path: pathPointer(at), message: `${key} is not supported in embedded schemas` });
          continue;
        }
        if (role === "schema" && key === "type" && !isValidType(child)) {
          issues.push({
            path: pathPointer(at),
            message:
              "type must name array, boolean, integer, null, number, object or string (or be a non-empty list of distinct ones)",
          });
          continue;
        }
        children.push({ value: child, path: at, role: childRole(role, key, child), depth: depth + 1 });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return issues;
}

function childRole(parent: Role, key: string, child: unknown): Role {
  if (parent === "schema-map") return "schema";
  // `dependencies` (draft 7) maps to a schema or to a list of property names.
  if (parent === "dependencies") return Array.isArray(child) ? "data" : "schema";
  if (parent !== "schema") return "data";
  if (SINGLE.has(key)) return "schema";
  if (LIST.has(key)) return "schema-list";
  if (MAP.has(key)) return "schema-map";
  if (key === "items") return Array.isArray(child) ? "schema-list" : "schema";
  if (key === "dependencies") return "dependencies";
  return "data";
}

function roleProblem(value: unknown, role: Role): string | undefined {
  switch (role) {
    case "schema":
      return typeof value === "boolean" || isJsonObject(value)
        ? undefined
        : "must be a JSON Schema (an object or a boolean)";
    case "schema-list":
      return Array.isArray(value) ? undefined : "must be an array of JSON Schemas";
    case "schema-map":
    case "dependencies":
      return isJsonObject(value) ? undefined : "must be an object of JSON Schemas";
    case "data":
      return undefined;
  }
}

function isValidType(type: unknown): boolean {
  if (typeof type === "string") return JSON_TYPES.has(type);
  if (!Array.isArray(type) || type.length === 0) return false;
  return type.every((t) => typeof t === "string" && JSON_TYPES.has(t)) && new Set(type).size === type.length;
}
