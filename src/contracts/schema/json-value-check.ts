import { evaluate } from "../compatibility/schema-compare/evaluate.ts";
import { ValidationError } from "../errors/builtin.ts";
import type { JsonValue } from "../json/pure-json.ts";
import type { JsonSchema } from "../manifest/types.ts";
import { err, ok, type Result } from "../result/result.ts";

/**
 * A value checked against a manifest's embedded JSON Schema, where no valibot
 * schema is at hand (the control plane checks state values against the
 * caller's approved manifest). It uses the compatibility checker's evaluator:
 * a definite rejection is a ValidationError at `path`; what that evaluator
 * cannot decide (`format`, unknown keywords) is accepted, because the
 * writer's own SDK asserts those with valibot before sending.
 */
export function checkJsonSchemaValue(schema: JsonSchema, value: unknown, path: string): Result<void, ValidationError> {
  if (evaluate(value as JsonValue, schema) === false) {
    return err(new ValidationError([{ path, message: "does not match the schema" }]));
  }
  return ok(undefined);
}
