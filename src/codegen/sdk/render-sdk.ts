import { err, ok, ValidationError, type Result } from "../../contracts/index.ts";
import { objectLiteral } from "../code/doc.ts";
import { propertyKey } from "../naming.ts";
import { call } from "../code/doc.ts";
import { buildModel, type SdkInput } from "./model.ts";
import { renderApi, renderOwnedApi } from "./render-api.ts";
import { renderClient } from "./render-client.ts";
import { renderContract } from "./render-contract.ts";
import { renderReadme, renderTrellisMd } from "./render-docs.ts";
import { renderIndex, renderNpmPackageJson, renderPackageJson } from "./render-package.ts";
import { renderSchemas, type ErrorFields } from "./render-schemas.ts";
import { renderTypes } from "./render-types.ts";

export type RenderedFile = { readonly path: string; readonly contents: string };

export type RenderedPackage = {
  /** The `ts` target's package: paths relative to the package directory, sorted. */
  readonly files: readonly RenderedFile[];
  /**
   * The `npm` target's package without `dist/` (which tsc compiles from the
   * `.ts` files of `files`): package.json, contract.json, README.md, TRELLIS.md, sorted.
   */
  readonly npmFiles: readonly RenderedFile[];
  /** What the validators do not enforce, with JSON pointers (also listed in README.md). */
  readonly notes: readonly { readonly pointer: string; readonly message: string }[];
  readonly warnings: readonly string[];
};

/**
 * Renders the SDK package of one service or app contract (tooling.md §2.1).
 * Pure: manifests in, file contents out; the same input gives the same bytes.
 * A problem (a dependency that is missing, a schema keyword that cannot be
 * compiled, a name used twice) is a `ValidationError` with JSON pointers.
 */
export function renderSdkPackage(input: SdkInput): Result<RenderedPackage, ValidationError> {
  const model = buildModel(input);
  const declarations = model.schemas.render();
  const fields: ErrorFields[] = [...model.errors, ...model.usedErrors]
    .filter((e) => e.fields.length > 0)
    .map((error) => {
      const entries = error.fields.map((f) => {
        const { value } = model.schemas.expression(error.provenance, f.schema);
        return [propertyKey(f.name), f.required ? value : call("v.optional", value)] as const;
      });
      return { error, value: objectLiteral(entries) };
    });
  // Rendered after the declarations and fields, which record the helpers they use.
  const files: RenderedFile[] = [
    { path: "schemas.ts", contents: renderSchemas(model, declarations, fields) },
    { path: "types.ts", contents: renderTypes(model) },
    { path: "owned_api.ts", contents: renderOwnedApi(model) },
    { path: "api.ts", contents: renderApi(model) },
    { path: "contract.ts", contents: renderContract(model) },
    { path: "client.ts", contents: renderClient(model) },
    { path: "index.ts", contents: renderIndex(model) },
    { path: "package.json", contents: renderPackageJson(model) },
    { path: "contract.json", contents: `${input.canonical}\n` },
    { path: "README.md", contents: renderReadme(model) },
    { path: "TRELLIS.md", contents: renderTrellisMd(model) },
  ];
  if (model.diagnostics.problems.length > 0) {
    return err(new ValidationError(model.diagnostics.problems.map((p) => ({ path: p.pointer, message: p.message }))));
  }
  const npmFiles: RenderedFile[] = [
    { path: "README.md", contents: renderReadme(model, "npm") },
    { path: "TRELLIS.md", contents: renderTrellisMd(model, "npm") },
    { path: "contract.json", contents: `${input.canonical}\n` },
    { path: "package.json", contents: renderNpmPackageJson(model) },
  ];
  const byPath = (a: RenderedFile, b: RenderedFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return ok({
    files: files.sort(byPath),
    npmFiles: npmFiles.sort(byPath),
    notes: model.diagnostics.notes,
    warnings: model.warnings,
  });
}
