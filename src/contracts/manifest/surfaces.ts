import type { NormalizedManifest, SurfaceKind } from "./types.ts";

export type SurfaceSummary = { kind: SurfaceKind; name: string; subject: string };

/** Every surface of a manifest: rpc, then operations, events, feeds; names sorted within a kind. */
export function listSurfaces(n: NormalizedManifest): SurfaceSummary[] {
  const sections: [SurfaceKind, Record<string, { subject: string }> | undefined][] = [
    ["rpc", n.rpc],
    ["operation", n.operations],
    ["event", n.events],
    ["feed", n.feeds],
  ];
  return sections.flatMap(([kind, section]) =>
    Object.entries(section ?? {})
      .map(([name, surface]) => ({ kind, name, subject: surface.subject }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  );
}
