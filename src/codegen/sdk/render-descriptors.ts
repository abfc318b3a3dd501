import { arrayLiteral, generic, objectLiteral, typeObject, union, type Doc } from "../code/doc.ts";
import { jsonLiteral } from "../code/literal.ts";
import { propertyKey } from "../naming.ts";
import { SECTIONS, type SdkModel, type Section, type SurfaceModel } from "./model.ts";
import type { SchemaDecl } from "./schema-set.ts";
import type { Imports } from "./source-file.ts";

/**
 * Surface descriptors as `API` holds them, the same shape authoring builds
 * (`contracts/authoring/descriptors.ts`): kind, contract id, name, subject,
 * capabilities, the valibot validators, and per kind the error types and
 * classes, control subject, cancel and transfer, or params. Their types are
 * the authoring descriptor interfaces with every parameter spelled out.
 */

export function groupsType(model: SdkModel, surfaces: readonly SurfaceModel[], imports: Imports): Doc {
  return typeObject(
    SECTIONS.map((section) => [
      `readonly ${section}`,
      typeObject(
        surfaces
          .filter((s) => s.section === section)
          .map((s) => [`readonly ${JSON.stringify(s.name)}`, descriptorType(model, s, imports)]),
      ),
    ]),
  );
}

export function groupsValue(model: SdkModel, surfaces: readonly SurfaceModel[], imports: Imports): Doc {
  return objectLiteral(
    SECTIONS.map((section: Section) => [
      section,
      objectLiteral(
        surfaces
          .filter((s) => s.section === section)
          .map((s) => [JSON.stringify(s.name), descriptorValue(s, imports)] as const),
      ),
    ]),
  );
}

function schemaTypeArg(decl: SchemaDecl | undefined, imports: Imports): string {
  return decl === undefined ? "undefined" : `typeof ${imports.value("./schemas.ts", decl.constName)}`;
}

function schemaValue(decl: SchemaDecl | undefined, imports: Imports): string {
  return decl === undefined ? "undefined" : imports.value("./schemas.ts", decl.constName);
}

function descriptorType(model: SdkModel, surface: SurfaceModel, imports: Imports): Doc {
  const trellis = imports.namespace(model.input.runtimeImport, "trellis", true);
  const name = JSON.stringify(surface.name);
  const subject = JSON.stringify(surface.descriptor.subject);
  switch (surface.section) {
    case "rpc": {
      const errors = union(surface.errors.map((e) => JSON.stringify(e.type)));
      const classes = typeObject(
        surface.errors
          .filter((e) => e.error !== undefined)
          .map((e) => [`readonly ${propertyKey(e.type)}`, `typeof ${imports.value("./types.ts", e.error!.className)}`]),
      );
      return generic(`${trellis}.RpcSurface`, [
        name,
        subject,
        schemaTypeArg(surface.input, imports),
        schemaTypeArg(surface.output, imports),
        errors,
        classes,
      ]);
    }
    case "operations": {
      const signals = typeObject(
        surface.signals.map((s) => [`readonly ${propertyKey(s.name)}`, schemaTypeArg(s.input, imports)]),
      );
      return generic(`${trellis}.OperationSurface`, [
        name,
        subject,
        schemaTypeArg(surface.input, imports),
        schemaTypeArg(surface.progress, imports),
        schemaTypeArg(surface.output, imports),
        signals,
      ]);
    }
    case "events": {
      const params = `readonly [${(surface.descriptor.params ?? []).map((p) => JSON.stringify(p)).join(", ")}]`;
      return generic(`${trellis}.EventSurface`, [name, subject, params, schemaTypeArg(surface.event, imports)]);
    }
    case "feeds":
      return generic(`${trellis}.FeedSurface`, [
        name,
        subject,
        schemaTypeArg(surface.input, imports),
        schemaTypeArg(surface.event, imports),
      ]);
  }
}

function descriptorValue(surface: SurfaceModel, imports: Imports): Doc {
  const common: [string, Doc][] = [
    ["kind", JSON.stringify({ rpc: "rpc", operations: "operation", events: "event", feeds: "feed" }[surface.section])],
    ["contractId", JSON.stringify(surface.contractId)],
    ["name", JSON.stringify(surface.name)],
    ["subject", JSON.stringify(surface.descriptor.subject)],
  ];
  const capabilities = jsonLiteral((surface.descriptor.capabilities ?? {}) as { [list: string]: string[] });
  switch (surface.section) {
    case "rpc":
      return objectLiteral([
        ...common,
        ["capabilities", capabilities],
        ["input", schemaValue(surface.input, imports)],
        ["output", schemaValue(surface.output, imports)],
        ["errors", arrayLiteral(surface.errors.map((e) => JSON.stringify(e.type)))],
        [
          "errorClasses",
          objectLiteral(
            surface.errors
              .filter((e) => e.error !== undefined)
              .map((e) => [propertyKey(e.type), imports.value("./types.ts", e.error!.className)] as const),
          ),
        ],
      ]);
    case "operations":
      return objectLiteral([
        ...common,
        ["controlSubject", JSON.stringify(`${surface.descriptor.subject}.control`)],
        ["capabilities", capabilities],
        ["input", schemaValue(surface.input, imports)],
        ["progress", schemaValue(surface.progress, imports)],
        ["output", schemaValue(surface.output, imports)],
        [
          "signals",
          objectLiteral(surface.signals.map((s) => [propertyKey(s.name), schemaValue(s.input, imports)] as const)),
        ],
        ["cancel", String(surface.descriptor.cancel === true)],
        [
          "transfer",
          surface.descriptor.transfer === undefined ? "undefined" : jsonLiteral(surface.descriptor.transfer),
        ],
      ]);
    case "events":
      return objectLiteral([
        ...common,
        ["params", arrayLiteral((surface.descriptor.params ?? []).map((p) => JSON.stringify(p)))],
        ["event", schemaValue(surface.event, imports)],
        ["capabilities", capabilities],
      ]);
    case "feeds":
      return objectLiteral([
        ...common,
        ["input", schemaValue(surface.input, imports)],
        ["event", schemaValue(surface.event, imports)],
        ["capabilities", capabilities],
      ]);
  }
}
