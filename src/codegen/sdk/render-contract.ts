import type { JsonValue } from "../../contracts/index.ts";
import { assigned, call, objectLiteral } from "../code/doc.ts";
import { jsonLiteral } from "../code/literal.ts";
import { propertyKey } from "../naming.ts";
import type { SdkModel } from "./model.ts";
import { docComment, header, Imports, joinSections } from "./source-file.ts";

/**
 * `contract.ts`: the embedded canonical manifest (`CONTRACT`), its id, kind
 * and digest, `ERRORS`, `use(spec)` and `sdk`, the object that has the same
 * members as a source contract module (checked with `satisfies
 * ContractModule<...>`) plus `JOBS`, `STATE` and `RESOURCES`, so the runtime
 * takes either and types `client.state`/`service.kv` from either.
 */
export function renderContract(model: SdkModel): string {
  const imports = new Imports();
  const runtime = model.input.runtimeImport;
  const trellis = imports.namespace(runtime, "trellis", true);
  const createUseRecord = imports.value(runtime, "createUseRecord");
  imports.value("./api.ts", "API");
  imports.type("./api.ts", "UsedApi");
  for (const name of ["deepFreeze", "JOBS", "OWNED_API", "RESOURCES", "STATE"]) imports.value("./owned_api.ts", name);
  imports.type("./owned_api.ts", "OwnedApi");
  imports.value("./schemas.ts", "SCHEMAS");
  const errors = objectLiteral(
    model.errors.map((e) => [propertyKey(e.key), imports.value("./types.ts", e.className)] as const),
  );

  // The manifest from its canonical text: key order and content are exactly the digested ones.
  const manifest = JSON.parse(model.input.canonical) as JsonValue;
  const literal = jsonLiteral(manifest, (path) =>
    path.length === 1 && path[0] === "schemas" ? imports.value("./schemas.ts", "JSON_SCHEMAS") : undefined,
  );
  const record = `${trellis}.UseRecord<typeof CONTRACT_ID, ${trellis}.SelectedSurfaces<OwnedApi, TSpec>>`;
  const members = [
    "CONTRACT_ID",
    "CONTRACT_KIND",
    "CONTRACT",
    "CONTRACT_DIGEST",
    "SCHEMAS",
    "ERRORS",
    "API",
    "use",
    "JOBS",
    "STATE",
    "RESOURCES",
  ];
  return joinSections([
    header(model, "the contract module"),
    imports.render(),
    `export const CONTRACT_ID = ${JSON.stringify(model.id)};`,
    `export const CONTRACT_KIND = ${JSON.stringify(model.kind)};`,
    `export const CONTRACT_DIGEST = ${JSON.stringify(model.input.digest)};`,
    `${docComment("The canonical manifest (contract.json), deep-frozen as authoring's CONTRACT is.")}\n${assigned(
      "export const CONTRACT =",
      call("deepFreeze", literal),
    )} as unknown as ${trellis}.NormalizedManifest;`,
    `${docComment("The declared error classes by their key in `errors`.")}\n${assigned("export const ERRORS =", call("Object.freeze", errors))};`,
    `${docComment(
      `Selects surfaces of ${model.id} for another contract's \`uses\`; names it does not own fail to compile and are refused at run time.`,
    )}
export function use<const TSpec extends ${trellis}.UseSpec<OwnedApi>>(spec: TSpec): ${record} {
  return ${createUseRecord}(CONTRACT_ID, OWNED_API, spec) as ${record};
}`,
    `${docComment("The contract module: what a source's default export holds (STATE and RESOURCES included), plus JOBS.")}
export const sdk = Object.freeze({ ${members.join(", ")} }) satisfies ${trellis}.ContractModule<
  typeof CONTRACT_ID,
  typeof CONTRACT_KIND,
  typeof SCHEMAS,
  typeof ERRORS,
  OwnedApi,
  UsedApi
>;`,
  ]);
}
