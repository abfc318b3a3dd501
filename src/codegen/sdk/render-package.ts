import type { SdkModel } from "./model.ts";
import { header } from "./source-file.ts";

/**
 * `index.ts` (the package's one export, with explicit lists so the public
 * surface is deliberate) and `package.json`.
 */
export function renderIndex(model: SdkModel): string {
  const own = model.schemas.all().filter((d) => d.own);
  const exported = new Set(model.input.manifest.exports?.schemas ?? []);
  const errors = [...model.errors, ...model.usedErrors];
  const surfaceTypes = model.surfaces.flatMap((s) =>
    [...s.names.entries()].filter(([key]) => key !== "Handler").map(([, name]) => name),
  );
  const handlers = model.surfaces.flatMap((s) => (s.names.has("Handler") ? [s.names.get("Handler")!] : []));
  const lines = [
    header(model, "the package entry"),
    exportLine(
      "./contract.ts",
      ["CONTRACT", "CONTRACT_DIGEST", "CONTRACT_ID", "CONTRACT_KIND", "ERRORS", "sdk", "use"],
      [],
    ),
    'export { sdk as default } from "./contract.ts";',
    exportLine("./api.ts", ["API", "USED_API"], ["TrellisApi", "UsedApi"]),
    exportLine("./owned_api.ts", ["JOBS", "OWNED_API", "STATE"], ["OwnedApi"]),
    exportLine(
      "./schemas.ts",
      ["JSON_SCHEMAS", "SCHEMAS", ...own.map((d) => d.constName)],
      [
        ...own.filter((d) => exported.has(d.key)).map((d) => d.typeName),
        // Error data types that are the error schema's own type.
        ...errors
          .filter((e) => e.schema !== undefined && e.dataTypeName === e.schema.typeName)
          .map((e) => e.dataTypeName),
      ],
    ),
    exportLine(
      "./types.ts",
      errors.map((e) => e.className),
      [
        ...errors
          .filter((e) => e.schema === undefined || e.dataTypeName !== e.schema.typeName)
          .map((e) => e.dataTypeName),
        ...surfaceTypes,
        ...model.jobs.flatMap((j) => [j.payloadName, j.resultName]),
        ...model.state.map((s) => s.typeName),
        ...model.kv.map((k) => k.typeName),
        "EventMap",
        "FeedMap",
        "OperationMap",
        "RpcMap",
      ],
    ),
    exportLine(
      "./client.ts",
      [],
      [model.clientName, ...(model.kind === "service" ? ["Service", "ServiceHandle", ...handlers] : [])],
    ),
  ];
  return `${lines.join("\n")}\n`;
}

function exportLine(from: string, values: readonly string[], types: readonly string[]): string {
  const names = [...new Set(values)].sort();
  const typeNames = [...new Set(types)].filter((t) => !names.includes(t)).sort();
  const all = [...names, ...typeNames.map((t) => (names.length === 0 ? t : `type ${t}`))];
  const keyword = names.length === 0 ? "export type" : "export";
  const flat = `${keyword} { ${all.join(", ")} } from ${JSON.stringify(from)};`;
  if (flat.length <= 120) return flat;
  return `${keyword} {\n${all.map((name) => `  ${name},\n`).join("")}} from ${JSON.stringify(from)};`;
}

/** The bare package a specifier imports (`@trellis/runtime/sdk/x` → `@trellis/runtime`); none for paths. */
export function packageOfSpecifier(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || /^[A-Za-z]:/.test(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The `ts` target's package.json: the TypeScript sources are the export (Bun, bundlers, workspaces). */
export function renderPackageJson(model: SdkModel): string {
  return packageJson(model, { exports: { ".": "./index.ts" } });
}

/**
 * The `npm` target's package.json: tsc's JavaScript and declarations in
 * `dist/` are the export, so Node.js 20 loads it from `node_modules`.
 */
export function renderNpmPackageJson(model: SdkModel): string {
  const entry = { types: "./dist/index.d.ts", import: "./dist/index.js" };
  return packageJson(model, {
    main: entry.import,
    types: entry.types,
    exports: { ".": entry, "./contract.json": "./contract.json", "./package.json": "./package.json" },
    engines: { node: ">=20" },
  });
}

function packageJson(model: SdkModel, entry: { readonly [key: string]: unknown }): string {
  const { manifest, digest, packageName, version, runtimeImport, peerVersions } = model.input;
  const peers: Record<string, string> = {};
  const runtime = packageOfSpecifier(runtimeImport);
  if (runtime !== undefined) peers[runtime] = `^${peerVersions.runtime}`;
  peers.valibot = `^${peerVersions.valibot}`;
  const sortedPeers = Object.fromEntries(Object.entries(peers).sort(([a], [b]) => (a < b ? -1 : 1)));
  const pkg = {
    name: packageName,
    version,
    description: `Trellis SDK for ${manifest.id} (${manifest.displayName}): ${manifest.description}`,
    type: "module",
    sideEffects: false,
    ...entry,
    trellis: { contractId: manifest.id, contractDigest: digest, kind: manifest.kind },
    peerDependencies: sortedPeers,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
