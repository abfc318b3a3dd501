import type { Helper } from "./helpers.ts";
import type { Diagnostics, Located } from "./read-schema.ts";

/** A named schema of the package that a subschema equals: referenced instead of inlined. */
export type SchemaReference = { readonly value: string; readonly type: string };

/** What both renderers share while rendering the schemas of one package. */
export interface RenderContext {
  readonly diagnostics: Diagnostics;
  /** Helpers the rendered valibot code calls (see helpers.ts). */
  readonly helpers: Set<Helper>;
  /** A named schema equal to `located`, if any (never the schema being declared itself). */
  reference(located: Located): SchemaReference | undefined;
}
