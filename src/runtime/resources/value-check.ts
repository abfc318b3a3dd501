import {
  checkJsonSchemaValue,
  err,
  ok,
  ValidationError,
  type InferSurfaceSchema,
  type JsonSchema,
  type NormalizedManifest,
  type Result,
  type SurfaceSchema,
} from "../../contracts/index.ts";
import { checkSchema } from "../wire/schema-check.ts";

/** Validates (and decodes) a stored value; issue paths are prefixed with `path` (`/value`, or `` for a kv value). */
export type ValueCheck<T> = (value: unknown, path?: string) => Result<T, ValidationError>;

/**
 * The check of a value declared by schema name: the module's valibot schema
 * when it has one (a source module or a generated SDK), else the manifest's
 * JSON Schema (a module without `RESOURCES`/`STATE`), else nothing to check.
 */
export function valueCheck<TSchema extends SurfaceSchema>(
  valibot: TSchema,
  manifest: NormalizedManifest,
  schemaName: string,
): ValueCheck<InferSurfaceSchema<TSchema>> {
  if (valibot !== undefined) {
    return (value, path = "") => {
      const checked = checkSchema(valibot, value);
      if (checked.isOk() || path === "") return checked;
      return err(
        new ValidationError(
          checked.error.issues.map((issue) => ({ path: `${path}${issue.path}`, message: issue.message })),
        ),
      );
    };
  }
  const json = manifest.schemas?.[schemaName] as JsonSchema | undefined;
  return (value, path = "") => {
    if (json === undefined) return ok(value as InferSurfaceSchema<TSchema>);
    return checkJsonSchemaValue(json, value, path).map(() => value as InferSurfaceSchema<TSchema>);
  };
}
