import { canonicalJson } from "../json/canonical.ts";
import type {
  EventDescriptor,
  FeedDescriptor,
  NormalizedManifest,
  OperationDescriptor,
  RpcDescriptor,
  SurfaceKind,
} from "../manifest/types.ts";

/**
 * The effective active contract of one id (contracts.md §5 "Resolution"):
 * the union of the surfaces of its active compatible digests. Same-named
 * surfaces must agree, i.e. have equal canonical descriptors once `docs`
 * (copy only, outside the digest) are dropped; a surface that differs between
 * digests is reported as divergent and is not usable through the union.
 */
export type EffectiveContract = {
  id: string;
  rpc: ReadonlyMap<string, RpcDescriptor>;
  operations: ReadonlyMap<string, OperationDescriptor>;
  events: ReadonlyMap<string, EventDescriptor>;
  feeds: ReadonlyMap<string, FeedDescriptor>;
  /** Sorted by kind, then name. */
  divergent: { kind: SurfaceKind; name: string }[];
};

export function effectiveContract(id: string, manifests: readonly NormalizedManifest[]): EffectiveContract {
  const divergent: { kind: SurfaceKind; name: string }[] = [];
  const union = <D extends object>(
    kind: SurfaceKind,
    pick: (m: NormalizedManifest) => Record<string, D> | undefined,
  ) => {
    const merged = new Map<string, D>();
    const keys = new Map<string, string | undefined>();
    const diverged = new Set<string>();
    for (const manifest of manifests) {
      for (const [name, descriptor] of Object.entries(pick(manifest) ?? {})) {
        const key = agreementKey(descriptor);
        if (!keys.has(name)) {
          keys.set(name, key);
          merged.set(name, descriptor);
        } else if (key === undefined || keys.get(name) !== key) {
          diverged.add(name);
        }
      }
    }
    for (const name of [...diverged].sort()) {
      merged.delete(name);
      divergent.push({ kind, name });
    }
    return merged;
  };
  return {
    id,
    rpc: union("rpc", (m) => m.rpc),
    operations: union("operation", (m) => m.operations),
    events: union("event", (m) => m.events),
    feeds: union("feed", (m) => m.feeds),
    divergent,
  };
}

/**
 * Canonical JSON of a descriptor without `docs` (and without signal `docs`).
 * Undefined when it has no canonical form, which then never agrees (fail closed).
 */
function agreementKey(descriptor: object): string | undefined {
  const { docs: _docs, ...rest } = descriptor as Record<string, unknown>;
  const signals = rest.signals;
  if (typeof signals === "object" && signals !== null) {
    rest.signals = Object.fromEntries(
      Object.entries(signals).map(([name, signal]) => {
        const { docs: _signalDocs, ...kept } = signal as Record<string, unknown>;
        return [name, kept];
      }),
    );
  }
  const text = canonicalJson(rest);
  return text.isOk() ? text.value : undefined;
}
