import { assigned, call, objectLiteral, spreadEntry } from "../code/doc.ts";
import { jsonLiteral } from "../code/literal.ts";
import { propertyKey } from "../naming.ts";
import { RUNTIME_DEFAULTS } from "../../contracts/index.ts";
import { SECTIONS, type SdkModel } from "./model.ts";
import { groupsType, groupsValue } from "./render-descriptors.ts";
import { docComment, header, Imports, joinSections } from "./source-file.ts";

/**
 * `owned_api.ts`: `OWNED_API` (the contract's own surfaces), `JOBS`,
 * `STATE` and `RESOURCES` metadata, and the freezing helper; `api.ts`: `USED_API` (surfaces
 * of the contracts it uses, from their manifests) and
 * `API = {owned, used, trellis}` with `trellis` = owned ∪ used.
 */
export function renderOwnedApi(model: SdkModel): string {
  const imports = new Imports();
  const owned = model.surfaces.filter((s) => s.owned);
  const typeDoc = groupsType(model, owned, imports);
  const value = groupsValue(model, owned, imports);
  const jobs = objectLiteral(
    model.jobs.map((job) => {
      const { payload: _payload, result: _result, docs: _docs, ...settings } = job.declaration;
      return [
        propertyKey(job.queue),
        objectLiteral([
          ["queue", JSON.stringify(job.queue)],
          ["payload", job.payload === undefined ? "undefined" : imports.value("./schemas.ts", job.payload.constName)],
          ["result", job.result === undefined ? "undefined" : imports.value("./schemas.ts", job.result.constName)],
          ["settings", jsonLiteral(settings as { [key: string]: number | boolean | number[] })],
        ]),
      ] as const;
    }),
  );
  const state = objectLiteral(
    model.state.map(
      (store) =>
        [
          propertyKey(store.store),
          objectLiteral([
            ["store", JSON.stringify(store.store)],
            // Literal types: `client.state.<store>` is a ValueState or a MapState by kind.
            ["kind", `${JSON.stringify(store.declaration.kind)} as const`],
            [
              "schema",
              store.schema === undefined ? "undefined" : imports.value("./schemas.ts", store.schema.constName),
            ],
            ["stateVersion", JSON.stringify(store.declaration.stateVersion ?? "v1")],
            [
              "acceptedVersions",
              objectLiteral(
                store.accepted.map(
                  (a) =>
                    [
                      propertyKey(a.version),
                      a.schema === undefined ? "undefined" : imports.value("./schemas.ts", a.schema.constName),
                    ] as const,
                ),
              ),
            ],
          ]),
        ] as const,
    ),
  );
  const required = (flag: boolean | undefined, fallback: boolean) => `${flag ?? fallback} as const`;
  const resources = objectLiteral([
    [
      "kv",
      objectLiteral(
        model.kv.map(
          (kv) =>
            [
              propertyKey(kv.alias),
              objectLiteral([
                ["schema", kv.schema === undefined ? "undefined" : imports.value("./schemas.ts", kv.schema.constName)],
                ["required", required(kv.resource.required, RUNTIME_DEFAULTS.kv.required)],
              ]),
            ] as const,
        ),
      ),
    ],
    [
      "store",
      objectLiteral(
        sortedStores(model).map(
          ([alias, store]) =>
            [
              propertyKey(alias),
              objectLiteral([["required", required(store.required, RUNTIME_DEFAULTS.store.required)]]),
            ] as const,
        ),
      ),
    ],
  ]);
  return joinSections([
    header(model, "OWNED_API, job, state and resource metadata"),
    imports.render(),
    `${docComment(`The surfaces ${model.id} owns, typed per name.`)}\n${assigned("export type OwnedApi =", typeDoc)};`,
    FREEZE,
    `${docComment("Descriptors of the owned surfaces: what handlers are mounted on.")}\n${assigned("export const OWNED_API: OwnedApi =", call("deepFreeze", value))};`,
    `${docComment("Job queues: schemas plus the manifest's settings (omitted ones take the runtime defaults).")}\n${assigned("export const JOBS =", call("deepFreeze", jobs))};`,
    `${docComment("State stores: schema, version and the schemas of accepted older versions.")}\n${assigned("export const STATE =", call("deepFreeze", state))};`,
    `${docComment("kv resources (value schema, required) and store resources (required): what `service.kv` and `service.store` are typed from.")}\n${assigned("export const RESOURCES =", call("deepFreeze", resources))};`,
  ]);
}

function sortedStores(model: SdkModel) {
  const stores = model.input.manifest.resources?.store ?? {};
  return Object.keys(stores)
    .sort()
    .map((alias) => [alias, stores[alias]!] as const);
}

const FREEZE = `/** Freezes every object and list, as authoring freezes its descriptors, but never valibot schemas or error classes. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value) && !("~run" in value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}`;

export function renderApi(model: SdkModel): string {
  const imports = new Imports();
  const used = model.surfaces.filter((s) => !s.owned);
  const typeDoc = groupsType(model, used, imports);
  const value = groupsValue(model, used, imports);
  const trellis = imports.namespace(model.input.runtimeImport, "trellis", true);
  imports.value("./owned_api.ts", "deepFreeze");
  imports.value("./owned_api.ts", "OWNED_API");
  imports.type("./owned_api.ts", "OwnedApi");
  const merged = objectLiteral(
    SECTIONS.map(
      (section) =>
        [section, objectLiteral([spreadEntry(`OWNED_API.${section}`), spreadEntry(`USED_API.${section}`)])] as const,
    ),
  );
  const usedFrom = [...new Set(used.map((s) => s.contractId))].sort();
  return joinSections([
    header(model, "USED_API and API"),
    imports.render(),
    `${docComment(`The surfaces ${model.id} uses${usedFrom.length > 0 ? ` (from ${usedFrom.join(", ")})` : ""}, typed per name.`)}\n${assigned("export type UsedApi =", typeDoc)};`,
    `${docComment("Descriptors of the used surfaces, built from the manifests of the contracts they belong to.")}\n${assigned("export const USED_API: UsedApi =", call("deepFreeze", value))};`,
    `${docComment("Every surface this contract can call: owned ∪ used.")}\nexport type TrellisApi = ${trellis}.MergeSurfaceGroups<OwnedApi, UsedApi>;`,
    `${docComment("`API` of the contract module (`{owned, used, trellis}`), as authoring builds it.")}\n${assigned(
      `export const API: ${trellis}.ContractApi<OwnedApi, UsedApi> =`,
      call(
        "deepFreeze",
        objectLiteral([
          ["owned", "OWNED_API"],
          ["used", "USED_API"],
          ["trellis", merged],
        ]),
      ),
    )};`,
  ]);
}
