import { print, typeObject, type Doc } from "../code/doc.ts";
import { propertyKey } from "../naming.ts";
import { ACCESSOR_KIND, type AccessorKind, type SdkModel, type SurfaceModel } from "./model.ts";
import { docComment, header, Imports, joinSections } from "./source-file.ts";

/**
 * `client.ts`, type-only: the consumer facade `<Name>Client` over
 * `API.trellis` (rpc, operation, event, feed, state), and for services the
 * owner facade `ServiceHandle<TDeps>` (`handle.rpc|feed|operation`, `with`,
 * `jobs`, `kv`, `store`) with `Service = ServiceHandle`, plus `<P>Handler`
 * for owned RPCs. The member shapes are the `sdk` types of the runtime.
 */
export function renderClient(model: SdkModel): string {
  const imports = new Imports();
  const trellis = imports.namespace(model.input.runtimeImport, "trellis", true);
  const sdk = `${trellis}.sdk`;
  const t = (name: string) => imports.type("./types.ts", name);
  const n = (surface: SurfaceModel, key: string) => t(surface.names.get(key)!);
  const client = model.clientName;

  const member = (surface: SurfaceModel): Doc => {
    switch (surface.section) {
      case "rpc":
        return `${sdk}.RpcMethod<${n(surface, "Input")}, ${n(surface, "Output")}, ${n(surface, "Error")}>`;
      case "operations":
        return `${sdk}.OperationClient<${n(surface, "Input")}, ${n(surface, "Progress")}, ${n(surface, "Output")}, ${n(surface, "Signals")}>`;
      case "events":
        return `${sdk}.EventClient<${n(surface, "Event")}>`;
      case "feeds":
        return `${sdk}.FeedMethod<${n(surface, "Input")}, ${n(surface, "Event")}>`;
    }
  };
  const kinds: AccessorKind[] = ["rpc", "operation", "event", "feed"];
  const clientMembers: [string, Doc][] = kinds.map((kind) => [
    `readonly ${kind}`,
    accessorTree(
      model.surfaces.filter((s) => ACCESSOR_KIND[s.section] === kind),
      member,
    ),
  ]);
  clientMembers.push([
    "readonly state",
    typeObject(
      model.state.map((store) => [
        `readonly ${propertyKey(store.store)}`,
        `${sdk}.${store.declaration.kind === "map" ? "MapState" : "ValueState"}<${t(store.typeName)}>`,
      ]),
    ),
  ]);
  const sections: string[] = [
    `${docComment(
      `What ${model.id} calls: its own surfaces and those it uses (\`API.trellis\`), by accessor \`<kind>.<group>.<leaf>\`.`,
    )}\nexport interface ${client} ${body(clientMembers)}`,
  ];

  if (model.kind === "service") {
    const owned = model.surfaces.filter((s) => s.owned);
    const handlers: string[] = [];
    for (const surface of owned.filter((s) => s.section === "rpc")) {
      const name = surface.names.get("Handler")!;
      handlers.push(
        `${docComment(`Handles \`${surface.name}\`.`)}\nexport type ${name}<TDeps = undefined> = ${sdk}.RpcHandler<${n(surface, "Input")}, ${n(surface, "Output")}, ${n(surface, "Error")}, ${client}, TDeps>;`,
      );
    }
    const handle = (surface: SurfaceModel): Doc => {
      switch (surface.section) {
        case "rpc":
          return `(handler: ${surface.names.get("Handler")!}<TDeps>) => ${sdk}.Registration`;
        case "feeds":
          return `(handler: ${sdk}.FeedHandler<${n(surface, "Input")}, ${n(surface, "Event")}, ${client}, TDeps>) => ${sdk}.Registration`;
        case "operations":
          return `${sdk}.OperationRegistrar<${n(surface, "Input")}, ${n(surface, "Progress")}, ${n(surface, "Output")}, ${n(surface, "Signals")}, ${client}, TDeps>`;
        case "events":
          return "never";
      }
    };
    const handleMembers: [string, Doc][] = (["rpc", "operation", "feed"] as const).map((kind) => [
      `readonly ${kind}`,
      accessorTree(
        owned.filter((s) => ACCESSOR_KIND[s.section] === kind),
        handle,
      ),
    ]);
    const ownerMembers: [string, Doc][] = [["readonly handle", typeObject(handleMembers)]];
    if (model.jobs.length > 0) {
      ownerMembers.push([
        "readonly jobs",
        typeObject(
          model.jobs.map((job) => [
            `readonly ${propertyKey(job.queue)}`,
            `${sdk}.JobQueue<${t(job.payloadName)}, ${t(job.resultName)}, ${client}, TDeps>`,
          ]),
        ),
      ]);
    }
    if (model.kv.length > 0) {
      ownerMembers.push([
        "readonly kv",
        typeObject(
          model.kv.map((kv) => [
            `readonly ${propertyKey(kv.alias)}`,
            optional(`${sdk}.KvStore<${t(kv.typeName)}>`, kv.resource.required),
          ]),
        ),
      ]);
    }
    const stores = model.input.manifest.resources?.store ?? {};
    const storeAliases = Object.keys(stores).sort();
    if (storeAliases.length > 0) {
      ownerMembers.push([
        "readonly store",
        typeObject(
          storeAliases.map((alias) => [
            `readonly ${propertyKey(alias)}`,
            optional(`${sdk}.ObjectStore`, stores[alias]!.required),
          ]),
        ),
      ]);
    }
    ownerMembers.push(
      ["with<TNext>(deps: TNext)", "ServiceHandle<TNext>"],
      ["wait()", "Promise<void>"],
      ["stop()", "Promise<void>"],
    );
    sections.push(
      ...handlers,
      `${docComment(
        `The owner of ${model.id}: handlers for its surfaces, its jobs and resources, and its client. \`deps\` is what \`with(deps)\` passed.`,
      )}\nexport interface ServiceHandle<TDeps = undefined> extends ${client} ${body(ownerMembers)}`,
      `${docComment("A service before `with(deps)`.")}\nexport type Service = ServiceHandle<undefined>;`,
    );
  }
  return joinSections([header(model, "typed client and service facades (types only)"), imports.render(), ...sections]);
}

/** `required: false` resources may have no handle (runtime-wire.md §6). */
function optional(type: string, required: boolean | undefined): string {
  return required === false ? `${type} | undefined` : type;
}

/** `{ <group>: { <leaf>: member } }` for the given surfaces. */
function accessorTree(surfaces: readonly SurfaceModel[], member: (surface: SurfaceModel) => Doc): Doc {
  const groups = new Map<string, [string, Doc][]>();
  for (const surface of [...surfaces].sort((a, b) =>
    a.group < b.group ? -1 : a.group > b.group ? 1 : a.leaf < b.leaf ? -1 : 1,
  )) {
    const leaves = groups.get(surface.group) ?? [];
    leaves.push([`readonly ${propertyKey(surface.leaf)}`, member(surface)]);
    groups.set(surface.group, leaves);
  }
  return typeObject([...groups].map(([group, leaves]) => [`readonly ${propertyKey(group)}`, typeObject(leaves)]));
}

/** An interface body, one member per line. */
function body(members: readonly [string, Doc][]): string {
  return `{\n${members.map(([key, value]) => `  ${key}: ${print(value, 2, key.length + 2)};\n`).join("")}}`;
}
