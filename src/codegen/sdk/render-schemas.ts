import type { JsonValue } from "../../contracts/index.ts";
import { assigned, objectLiteral, print } from "../code/doc.ts";
import { jsonLiteral } from "../code/literal.ts";
import { renderHelpers } from "../json-schema/helpers.ts";
import { propertyKey } from "../naming.ts";
import type { ErrorModel, SdkModel } from "./model.ts";
import type { RenderedDecl } from "./schema-set.ts";
import { docComment, header, joinSections } from "./source-file.ts";
import { call } from "../code/doc.ts";

/**
 * `schemas.ts`: the manifest's JSON Schemas, and for every named schema (own
 * and used from dependencies) its TypeScript type and valibot validator
 * `const <Key>Schema: v.GenericSchema<<Key>>`. The annotation makes the
 * compiler check that the validator's output type matches the rendered type.
 * Error field schemas (for `defineError` in types.ts) come last.
 */
export function renderSchemas(
  model: SdkModel,
  declarations: readonly RenderedDecl[],
  fields: readonly ErrorFields[],
): string {
  const own = declarations.filter((d) => d.decl.own);
  const used = declarations.filter((d) => !d.decl.own);
  const helpers = renderHelpers(model.schemas.helpers);
  const usesValibot = declarations.length > 0 || fields.length > 0;

  const jsonSchemas = (model.input.manifest.schemas ?? {}) as { readonly [key: string]: JsonValue };
  const sections: (string | undefined)[] = [
    header(model, "JSON Schemas, their types and valibot validators"),
    usesValibot ? 'import * as v from "valibot";' : undefined,
    helpers.length > 0 ? helpers.join("\n\n") : undefined,
    `${docComment(`The JSON Schemas of ${model.id}, as its manifest embeds them.`)}\n${assigned(
      "export const JSON_SCHEMAS: { readonly [name: string]: unknown } =",
      jsonLiteral(jsonSchemas),
    )};`,
  ];
  if (own.length > 0) sections.push(`// ---- schemas of ${model.id}`, ...own.map(renderDecl));
  let provenance = "";
  for (const decl of used) {
    if (decl.decl.provenance !== provenance) {
      provenance = decl.decl.provenance;
      sections.push(`// ---- schemas used from ${provenance}`);
    }
    sections.push(renderDecl(decl));
  }
  if (fields.length > 0) {
    sections.push("// ---- fields of the error classes (types.ts)");
    for (const f of fields)
      sections.push(`export const ${f.error.fieldsName} = ${print(f.value, 0, f.error.fieldsName.length + 16)};`);
  }
  const entries = own.map((d) => [propertyKey(d.decl.key), d.decl.constName] as const);
  sections.push(
    `${docComment(`The validators of ${model.id}'s own schemas, by manifest name.`)}\n${assigned(
      "export const SCHEMAS =",
      call("Object.freeze", objectLiteral(entries)),
    )};`,
  );
  return joinSections(sections);
}

export type ErrorFields = { readonly error: ErrorModel; readonly value: ReturnType<typeof objectLiteral> };

function renderDecl({ decl, type, value }: RenderedDecl): string {
  const description =
    typeof decl.schema === "object" && typeof decl.schema.description === "string"
      ? decl.schema.description
      : undefined;
  const origin = decl.own ? `\`${decl.key}\`` : `\`${decl.key}\` of ${decl.provenance}`;
  const doc = docComment(description === undefined ? origin : `${origin}: ${description}`);
  return [
    doc,
    `${assigned(`export type ${decl.typeName} =`, type)};`,
    `${assigned(`export const ${decl.constName}: v.GenericSchema<${decl.typeName}> =`, value)};`,
  ].join("\n");
}
