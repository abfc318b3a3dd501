import type { SdkModel } from "./model.ts";
import { docComment, header, Imports, joinSections } from "./source-file.ts";

/**
 * `client.ts`, type-only: the named facade types of tooling.md §2.1 —
 * `<Name>Client`, and for services `ServiceHandle<TDeps>`, `Service` and
 * `<P>Handler` per owned RPC. Each is the runtime's own type applied to this
 * package's `sdk` module, so what an SDK user writes in a signature is
 * exactly what `TrellisClient.connect` and `TrellisService.connect` return:
 * the two cannot drift apart.
 */
export function renderClient(model: SdkModel): string {
  const imports = new Imports();
  const trellis = imports.namespace(model.input.runtimeImport, "trellis", true);
  const sdk = imports.type("./contract.ts", "sdk");
  const module = `typeof ${sdk}`;
  const client = model.clientName;

  const sections: string[] = [
    `${docComment(
      `What ${model.id} calls: its own surfaces and those it uses (\`API.trellis\`) by accessor \`<kind>.<group>.<leaf>\` (rpc, operation, event, feed), and its state stores.`,
    )}\nexport type ${client} = ${trellis}.ClientOf<${module}>;`,
  ];

  if (model.kind === "service") {
    for (const surface of model.surfaces.filter((s) => s.owned && s.section === "rpc")) {
      const name = surface.names.get("Handler")!;
      sections.push(
        `${docComment(`Handles \`${surface.name}\`.`)}\nexport type ${name}<TDeps = undefined> = ${trellis}.RpcHandlerOf<${module}, ${JSON.stringify(surface.name)}, TDeps>;`,
      );
    }
    sections.push(
      `${docComment(
        `The owner of ${model.id}: handlers for its surfaces, its jobs and resources, and its client. \`deps\` is what \`with(deps)\` passed.`,
      )}\nexport type ServiceHandle<TDeps = undefined> = ${trellis}.ServiceHandle<${module}, TDeps>;`,
      `${docComment("A connected service, as `TrellisService.connect` returns it.")}\nexport type Service = ${trellis}.TrellisService<${module}>;`,
    );
  }
  return joinSections([header(model, "typed client and service facades (types only)"), imports.render(), ...sections]);
}
