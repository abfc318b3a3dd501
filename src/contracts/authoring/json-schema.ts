import * as v from "valibot";
import { toJsonSchema, type OverrideSchemaContext } from "@valibot/to-json-schema";
import { ValidationError, type ValidationIssue } from "../errors/builtin.ts";
import { findImpureJson, pointerOf, type JsonValue } from "../json/pure-json.ts";
import { err, ok, type Result } from "../result/result.ts";

/** An embedded schema as the manifest stores it: a JSON object (valibot never emits a boolean schema). */
export type JsonSchemaObject = { [keyword: string]: JsonValue };

/**
 * Actions that only change the TypeScript type, never the accepted JSON, so
 * they are skipped instead of failing the conversion.
 */
const TYPE_ONLY_ACTIONS = ["brand", "flavor", "readonly"];

/** Keys that only appear when the converter falls back to references. */
const REFERENCE_KEYS = new Set(["$ref", "$defs", "definitions", "$dynamicRef", "$recursiveRef"]);

class UnsupportedSchema extends Error {}

/**
 * Converts a valibot schema into the JSON Schema a manifest embeds
 * (contracts.md §1, §2.5): draft 2019-09 compatible, every definition inline,
 * no `$schema`.
 *
 * The converter's "draft-07" target is used on purpose: its keywords are a
 * subset of 2019-09 (tuples as `items: [...]` plus `additionalItems`), while
 * its "draft-2020-12" target writes `prefixItems`, which 2019-09 lacks.
 * Lazy schemas are refused: the converter can only express them with `$ref`,
 * which manifests forbid. Function defaults are dropped because calling them
 * could make emission non-deterministic (`default` is only an annotation).
 */
export function emitJsonSchema(schema: v.GenericSchema): Result<JsonSchemaObject, ValidationError> {
  let converted: Record<string, unknown>;
  try {
    converted = toJsonSchema(schema, {
      target: "draft-07",
      errorMode: "throw",
      definitions: {}, // ignore global definitions: they would be emitted as `$ref`
      ignoreActions: TYPE_ONLY_ACTIONS,
      overrideSchema: overrideUnsupported,
    }) as Record<string, unknown>;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return err(new ValidationError([{ path: "", message: `cannot be emitted as JSON Schema: ${message}` }]));
  }
  delete converted.$schema;

  const issues = [...findReferenceKeys(converted), ...findImpureJson(converted)];
  if (issues.length > 0) return err(new ValidationError(issues));
  // A deep copy, so the manifest shares nothing with the valibot schema's metadata.
  return ok(structuredClone(converted) as JsonSchemaObject);
}

function overrideUnsupported(context: OverrideSchemaContext): JsonSchemaObject | undefined {
  const source: { type: string; default?: unknown } = context.valibotSchema;
  if (source.type === "lazy") {
    throw new UnsupportedSchema(
      'The "lazy" schema cannot be embedded: recursive and lazy schemas need $ref, which manifests do not support; inline the definition instead.',
    );
  }
  if (typeof source.default === "function" && "default" in context.jsonSchema) {
    const { default: _dropped, ...rest } = context.jsonSchema as Record<string, JsonValue>;
    return rest;
  }
  return undefined;
}

function findReferenceKeys(value: unknown, path: (string | number)[] = []): ValidationIssue[] {
  if (typeof value !== "object" || value === null) return [];
  const issues: ValidationIssue[] = [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  for (const [key, child] of entries) {
    if (typeof key === "string" && REFERENCE_KEYS.has(key)) {
      issues.push({ path: pointerOf([...path, key]), message: `${key} is not supported in embedded schemas` });
    } else {
      issues.push(...findReferenceKeys(child, [...path, key]));
    }
  }
  return issues;
}
