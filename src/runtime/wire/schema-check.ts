import * as v from "valibot";
import {
  err,
  ok,
  pointerOf,
  ValidationError,
  type InferSurfaceSchema,
  type Result,
  type SurfaceSchema,
  type ValidationIssue,
} from "../../contracts/index.ts";

/**
 * Validates (and decodes) a payload with a surface schema. A descriptor
 * without a loaded schema (a pending baseline surface) passes the value
 * through untouched: there is nothing to check it against.
 */
export function checkSchema<TSchema extends SurfaceSchema>(
  schema: TSchema,
  value: unknown,
): Result<InferSurfaceSchema<TSchema>, ValidationError> {
  if (schema === undefined) return ok(value as InferSurfaceSchema<TSchema>);
  const parsed = v.safeParse(schema, value);
  if (parsed.success) return ok(parsed.output as InferSurfaceSchema<TSchema>);
  return err(new ValidationError(parsed.issues.map(toIssue)));
}

/** A valibot issue as `{path, message}` with a JSON pointer path. */
export function toIssue(issue: v.BaseIssue<unknown>): ValidationIssue {
  return { path: pointerOf((issue.path ?? []).map((item) => String(item.key))), message: issue.message };
}
