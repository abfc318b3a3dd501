import { listSurfaces, type NormalizedManifest, type SurfaceSummary } from "../../contracts/index.ts";

export type SurfaceView = SurfaceSummary & { capabilities: Record<string, string[]> };
export type UseView = { alias: string; group: "required" | "optional"; contract: string; surfaces: string[] };
export type ResourceView = { kind: "kv" | "store" | "job-queue" | "event-consumer" | "state"; name: string };

export type ContractSummary = {
  id: string;
  kind: string;
  displayName: string;
  description: string;
  digest: string;
  surfaces: SurfaceView[];
  uses: UseView[];
  resources: ResourceView[];
};

function capabilitiesOf(manifest: NormalizedManifest, surface: SurfaceSummary): Record<string, string[]> {
  const section =
    surface.kind === "rpc"
      ? manifest.rpc
      : surface.kind === "operation"
        ? manifest.operations
        : surface.kind === "event"
          ? manifest.events
          : manifest.feeds;
  const capabilities = section?.[surface.name]?.capabilities ?? {};
  return Object.fromEntries(
    Object.entries(capabilities).filter((entry): entry is [string, string[]] => Array.isArray(entry[1])),
  );
}

function usesOf(manifest: NormalizedManifest): UseView[] {
  const views: UseView[] = [];
  for (const group of ["required", "optional"] as const) {
    for (const [alias, use] of Object.entries(manifest.uses?.[group] ?? {})) {
      const surfaces = [
        ...(use.rpc?.call ?? []).map((name) => `rpc ${name}`),
        ...(use.operations?.call ?? []).map((name) => `operation ${name}`),
        ...(use.events?.publish ?? []).map((name) => `publish ${name}`),
        ...(use.events?.subscribe ?? []).map((name) => `subscribe ${name}`),
        ...(use.feeds?.subscribe ?? []).map((name) => `feed ${name}`),
      ];
      views.push({ alias, group, contract: use.contract, surfaces });
    }
  }
  return views;
}

function resourcesOf(manifest: NormalizedManifest): ResourceView[] {
  const named = (kind: ResourceView["kind"], section: object | undefined) =>
    Object.keys(section ?? {}).map((name) => ({ kind, name }));
  return [
    ...named("kv", manifest.resources?.kv),
    ...named("store", manifest.resources?.store),
    ...named("job-queue", manifest.jobs),
    ...named("event-consumer", manifest.eventConsumers),
    ...named("state", manifest.state),
  ];
}

export function summarizeContract(manifest: NormalizedManifest, digest: string): ContractSummary {
  return {
    id: manifest.id,
    kind: manifest.kind,
    displayName: manifest.displayName,
    description: manifest.description,
    digest,
    surfaces: listSurfaces(manifest).map((surface) => ({
      ...surface,
      capabilities: capabilitiesOf(manifest, surface),
    })),
    uses: usesOf(manifest),
    resources: resourcesOf(manifest),
  };
}
