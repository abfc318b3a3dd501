import { assigned, print, typeObject, union, type Doc } from "../code/doc.ts";
import { propertyKey } from "../naming.ts";
import type { ErrorModel, RpcModel, SdkModel, SurfaceModel } from "./model.ts";
import type { SchemaDecl } from "./schema-set.ts";
import { docComment, header, Imports, joinSections } from "./source-file.ts";

/**
 * `types.ts`: the error classes (rebuilt with the runtime's `defineError`
 * from the manifest's error schemas), the payload types of every surface
 * (`<P>Input`, `<P>Output`, ...), job, state and kv value types, and the
 * name-indexed `RpcMap`/`OperationMap`/`EventMap`/`FeedMap` over `API.trellis`.
 */
export function renderTypes(model: SdkModel): string {
  const imports = new Imports();
  const runtime = model.input.runtimeImport;
  const trellis = () => imports.namespace(runtime, "trellis", true);
  const schemaType = (decl: SchemaDecl | undefined): string =>
    decl === undefined ? "unknown" : imports.type("./schemas.ts", decl.typeName);

  const sections: string[] = [];
  const errors = [...model.errors, ...model.usedErrors];
  if (errors.length > 0) sections.push("// ---- errors");
  for (const error of errors) sections.push(renderError(model, error, imports, schemaType));

  for (const surface of model.surfaces) sections.push(renderSurfaceTypes(surface, schemaType, trellis));

  for (const job of model.jobs) {
    sections.push(
      [
        docComment(`Job queue \`${job.queue}\`.`),
        `export type ${job.payloadName} = ${schemaType(job.payload)};`,
        `export type ${job.resultName} = ${job.result === undefined ? "void" : schemaType(job.result)};`,
      ].join("\n"),
    );
  }
  for (const store of model.state) {
    sections.push(
      `${docComment(`State store \`${store.store}\` (${store.declaration.kind}).`)}\nexport type ${store.typeName} = ${schemaType(store.schema)};`,
    );
  }
  for (const kv of model.kv) {
    sections.push(
      `${docComment(`Values of the kv resource \`${kv.alias}\`.`)}\nexport type ${kv.typeName} = ${schemaType(kv.schema)};`,
    );
  }
  sections.push(renderMaps(model));
  return joinSections([header(model, "error classes and surface types"), imports.render(), ...sections]);
}

function renderError(
  model: SdkModel,
  error: ErrorModel,
  imports: Imports,
  schemaType: (decl: SchemaDecl | undefined) => string,
): string {
  const defineError = imports.value(model.input.runtimeImport, "defineError");
  const origin = error.provenance === model.id ? `\`errors.${error.key}\`` : `\`${error.type}\` of ${error.provenance}`;
  const fields = error.fields.length > 0 ? `fields: ${imports.value("./schemas.ts", error.fieldsName)}, ` : "";
  const lines = [
    docComment(
      `${origin}: wire type \`${error.type}\`, rebuilt from its schema (the message of a local instance is its type).`,
    ),
    `export const ${error.className} = ${defineError}({ type: ${JSON.stringify(error.type)}, ${fields}message: ${JSON.stringify(error.type)} });`,
    `export type ${error.className} = InstanceType<typeof ${error.className}>;`,
  ];
  if (error.schema === undefined || error.dataTypeName !== error.schema.typeName) {
    lines.push(
      `${docComment(`The wire data of \`${error.type}\`.`)}\nexport type ${error.dataTypeName} = ${error.schema === undefined ? `{ id: string; type: ${JSON.stringify(error.type)}; message: string; context?: { [key: string]: unknown } | undefined; traceId?: string | undefined }` : schemaType(error.schema)};`,
    );
  }
  return lines.join("\n");
}

function renderSurfaceTypes(
  surface: SurfaceModel,
  schemaType: (decl: SchemaDecl | undefined) => string,
  trellis: () => string,
): string {
  const name = (suffix: string) => surface.names.get(suffix)!;
  const where = `\`${surface.name}\` (${surface.owned ? "owned" : `used from ${surface.contractId}`}): \`${surface.descriptor.subject}\`${surface.generic ? "; its contract was not found, so payloads are unknown" : ""}`;
  const lines = [docComment(`${kindWord(surface)} ${where}`)];
  switch (surface.section) {
    case "rpc":
      lines.push(
        `export type ${name("Input")} = ${schemaType(surface.input)};`,
        `export type ${name("Output")} = ${schemaType(surface.output)};`,
        `${assigned(`export type ${name("Error")} =`, rpcErrorType(surface, trellis))};`,
      );
      break;
    case "operations": {
      lines.push(
        `export type ${name("Input")} = ${schemaType(surface.input)};`,
        `export type ${name("Progress")} = ${surface.progress === undefined ? "never" : schemaType(surface.progress)};`,
        `export type ${name("Output")} = ${schemaType(surface.output)};`,
      );
      const signals: [string, Doc][] = [];
      for (const signal of surface.signals) {
        const signalName = name(`signal:${signal.name}`);
        lines.push(`export type ${signalName} = ${schemaType(signal.input)};`);
        signals.push([`readonly ${propertyKey(signal.name)}`, signalName]);
      }
      const progress = name("Progress");
      const output = name("Output");
      lines.push(
        `${assigned(`export type ${name("Signals")} =`, typeObject(signals))};`,
        `export type ${name("Operation")} = ${trellis()}.OperationSnapshot<${progress}, ${output}>;`,
        `export type ${name("OperationRef")} = ${trellis()}.OperationRef<${progress}, ${output}, ${name("Signals")}>;`,
        `export type ${name("Terminal")} = ${trellis()}.TerminalSnapshot<${progress}, ${output}>;`,
      );
      break;
    }
    case "events":
      lines.push(`export type ${name("Event")} = ${schemaType(surface.event)};`);
      break;
    case "feeds":
      lines.push(
        `export type ${name("Input")} = ${schemaType(surface.input)};`,
        `export type ${name("Event")} = ${schemaType(surface.event)};`,
      );
      break;
  }
  return lines.join("\n");
}

/** Declared errors as instance types: local classes and the runtime's built-ins; others arrive as RemoteError. */
function rpcErrorType(surface: RpcModel, trellis: () => string): Doc {
  return union(
    surface.errors.flatMap((ref) => {
      if (ref.error !== undefined) return [ref.error.className];
      if (ref.builtin) return [`${trellis()}.${ref.type}`];
      return [];
    }),
  );
}

function kindWord(surface: SurfaceModel): string {
  return { rpc: "RPC", operations: "Operation", events: "Event", feeds: "Feed" }[surface.section];
}

function renderMaps(model: SdkModel): string {
  const of = (section: SurfaceModel["section"]) => model.surfaces.filter((s) => s.section === section);
  const map = (name: string, what: string, entries: [string, Doc][]) =>
    `${docComment(what)}\n${entries.length === 0 ? `export interface ${name} {}` : `export interface ${name} ${printMembers(entries)}`}`;
  const n = (s: SurfaceModel, suffix: string) => s.names.get(suffix)!;
  return [
    map(
      "RpcMap",
      "Every RPC this contract can call (`API.trellis.rpc`), by name.",
      of("rpc").map((s) => [
        `readonly ${JSON.stringify(s.name)}`,
        typeObject([
          ["readonly input", n(s, "Input")],
          ["readonly output", n(s, "Output")],
          ["readonly error", n(s, "Error")],
        ]),
      ]),
    ),
    map(
      "OperationMap",
      "Every operation this contract can start (`API.trellis.operations`), by name.",
      of("operations").map((s) => [
        `readonly ${JSON.stringify(s.name)}`,
        typeObject([
          ["readonly input", n(s, "Input")],
          ["readonly progress", n(s, "Progress")],
          ["readonly output", n(s, "Output")],
          ["readonly signals", n(s, "Signals")],
        ]),
      ]),
    ),
    map(
      "EventMap",
      "Every event this contract publishes or subscribes to (`API.trellis.events`), by name.",
      of("events").map((s) => [`readonly ${JSON.stringify(s.name)}`, typeObject([["readonly event", n(s, "Event")]])]),
    ),
    map(
      "FeedMap",
      "Every feed this contract can subscribe to (`API.trellis.feeds`), by name.",
      of("feeds").map((s) => [
        `readonly ${JSON.stringify(s.name)}`,
        typeObject([
          ["readonly input", n(s, "Input")],
          ["readonly event", n(s, "Event")],
        ]),
      ]),
    ),
  ].join("\n\n");
}

/** An interface body: one member per line. */
function printMembers(entries: [string, Doc][]): string {
  return `{\n${entries.map(([key, value]) => `  ${key}: ${print(value, 2, key.length + 2)};\n`).join("")}}`;
}
