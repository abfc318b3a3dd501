import { listSurfaces, type Use } from "../../contracts/index.ts";
import { docsBlocks, type DocsContext } from "./context.ts";
import { code, codeList, facts, sortedKeys, table, verbatim } from "./markdown.ts";

/** Title, identity facts, description and the contract's own docs. */
export function headerSection(ctx: DocsContext, digest: string): string[] {
  const m = ctx.manifest;
  return [
    `# ${m.displayName}`,
    facts([
      ["Id", code(m.id)],
      ["Kind", m.kind],
      ["Digest", code(digest)],
    ]),
    verbatim(m.description),
    ...docsBlocks(m.docs),
  ];
}

/** Every surface at a glance, in the order of the sections below. */
export function overviewSection(ctx: DocsContext): string[] {
  const surfaces = listSurfaces(ctx.manifest);
  if (surfaces.length === 0) return [];
  const versions = (kind: string, name: string): string => {
    const m = ctx.manifest;
    const section =
      kind === "rpc" ? m.rpc : kind === "operation" ? m.operations : kind === "event" ? m.events : m.feeds;
    return section?.[name]?.version ?? "";
  };
  return [
    "## Surfaces",
    table(
      ["Kind", "Name", "Version", "Subject"],
      surfaces.map((s) => [s.kind, code(s.name), versions(s.kind, s.name), code(s.subject)]),
    ),
  ];
}

export function capabilitiesSection(ctx: DocsContext): string[] {
  const capabilities = ctx.manifest.capabilities;
  if (capabilities === undefined || Object.keys(capabilities).length === 0) return [];
  return [
    "## Capabilities",
    table(
      ["Capability", "Name", "Description", "Consequence"],
      sortedKeys(capabilities).map((key) => {
        const cap = capabilities[key]!;
        return [code(key), cap.displayName, cap.description, cap.consequence ?? ""];
      }),
    ),
  ];
}

/** Declared errors, who declares them, and their data schemas. */
export function errorsSection(ctx: DocsContext): string[] {
  const errors = ctx.manifest.errors;
  if (errors === undefined || Object.keys(errors).length === 0) return [];
  const usedBy = (type: string) =>
    sortedKeys(ctx.manifest.rpc).filter((name) => ctx.manifest.rpc![name]!.errors?.some((e) => e.type === type));
  const blocks = [
    "## Errors",
    table(
      ["Name", "Type", "Data schema", "Declared by"],
      sortedKeys(errors).map((key) => {
        const error = errors[key]!;
        return [
          code(key),
          code(error.type),
          error.schema ? code(error.schema.schema) : "—",
          codeList(usedBy(error.type)),
        ];
      }),
    ),
  ];
  for (const key of sortedKeys(errors)) {
    const error = errors[key]!;
    if (error.schema !== undefined) blocks.push(`### ${key}`, ...ctx.schemaBlock("Data", error.schema));
  }
  return blocks;
}

/** Schemas the SDKs expose as types (`exports.schemas`). */
export function exportsSection(ctx: DocsContext): string[] {
  const names = [...(ctx.manifest.exports?.schemas ?? [])].sort();
  if (names.length === 0) return [];
  return [
    "## Exported schemas",
    ...names.flatMap((name) => [`### ${name}`, ...ctx.schemaBlock("Schema", { schema: name })]),
  ];
}

const USE_LISTS = [
  ["rpc", "call"],
  ["operations", "call"],
  ["events", "publish"],
  ["events", "subscribe"],
  ["feeds", "subscribe"],
] as const;

function useText(use: Use): string {
  const parts: string[] = [];
  for (const [kind, action] of USE_LISTS) {
    const container: Partial<Record<"call" | "publish" | "subscribe", string[]>> | undefined = use[kind];
    const names = container?.[action];
    if (names !== undefined && names.length > 0)
      parts.push(`${kind}.${action}: ${[...names].sort().map(code).join(", ")}`);
  }
  return parts.join("; ") || "—";
}

/** Dependencies (contracts.md §5); an alias in both groups counts as required. */
export function usesSection(ctx: DocsContext): string[] {
  const required = ctx.manifest.uses?.required ?? {};
  const optional = ctx.manifest.uses?.optional ?? {};
  const rows = [
    ...sortedKeys(required).map((alias) => [
      code(alias),
      code(required[alias]!.contract),
      "required",
      useText(required[alias]!),
    ]),
    ...sortedKeys(optional)
      .filter((alias) => !Object.hasOwn(required, alias))
      .map((alias) => [code(alias), code(optional[alias]!.contract), "optional", useText(optional[alias]!)]),
  ];
  if (rows.length === 0) return [];
  return ["## Uses", table(["Alias", "Contract", "Group", "Surfaces"], rows)];
}
