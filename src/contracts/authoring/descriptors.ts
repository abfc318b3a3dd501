import type { Manifest, Ref } from "../manifest/types.ts";
import type { IssueCollector } from "./contract-definition-error.ts";
import type { WireErrorClass } from "./define-error.ts";
import type {
  ContractApi,
  ErrorClassRegistry,
  EventSurface,
  FeedSurface,
  OperationSurface,
  RpcSurface,
  SurfaceGroups,
  SurfaceSection,
} from "./surface-types.ts";
import type { SchemaMap, ValibotSchema } from "./types.ts";

/**
 * Runtime side of `API`: descriptors built from the normalized manifest
 * (subjects, capabilities, error types exactly as emitted) and the source's
 * valibot schemas.
 */

const SECTIONS: readonly SurfaceSection[] = ["rpc", "operations", "events", "feeds"];

/** `API.owned`: one descriptor per surface the manifest declares. */
export function ownedSurfaces(
  manifest: Manifest,
  schemas: SchemaMap,
  errorClasses: Iterable<WireErrorClass>,
): SurfaceGroups {
  const contractId = manifest.id;
  const classesByType = new Map([...errorClasses].map((errorClass) => [errorClass.type, errorClass]));
  const schemaOf = (ref: Ref | undefined): ValibotSchema | undefined =>
    ref === undefined ? undefined : schemas[ref.schema];

  const rpc = mapValues(manifest.rpc, (name, d): RpcSurface => {
    const errors = (d.errors ?? []).map((e) => e.type);
    const classes: Record<string, WireErrorClass> = {};
    for (const type of errors) {
      const errorClass = classesByType.get(type);
      if (errorClass !== undefined) classes[type] = errorClass;
    }
    return {
      kind: "rpc",
      contractId,
      name,
      subject: d.subject,
      capabilities: d.capabilities ?? {},
      input: schemaOf(d.input),
      output: schemaOf(d.output),
      errors,
      errorClasses: Object.freeze(classes) as ErrorClassRegistry,
    };
  });
  const operations = mapValues(manifest.operations, (name, d): OperationSurface => ({
    kind: "operation",
    contractId,
    name,
    subject: d.subject,
    controlSubject: `${d.subject}.control`,
    capabilities: d.capabilities ?? {},
    input: schemaOf(d.input),
    progress: schemaOf(d.progress),
    output: schemaOf(d.output),
    signals: Object.freeze(
      Object.fromEntries(Object.entries(d.signals ?? {}).map(([signal, s]) => [signal, schemaOf(s.input)])),
    ),
    cancel: d.cancel === true,
    transfer: d.transfer,
  }));
  const events = mapValues(manifest.events, (name, d): EventSurface => ({
    kind: "event",
    contractId,
    name,
    subject: d.subject,
    params: d.params ?? [],
    event: schemaOf(d.event),
    capabilities: d.capabilities ?? {},
  }));
  const feeds = mapValues(manifest.feeds, (name, d): FeedSurface => ({
    kind: "feed",
    contractId,
    name,
    subject: d.subject,
    input: schemaOf(d.input),
    event: schemaOf(d.event),
    capabilities: d.capabilities ?? {},
  }));
  return freezeGroups({ rpc, operations, events, feeds });
}

/**
 * `API.used`: the union of the selected surfaces of every use record plus the
 * baselines. The same name from two contracts is an error; from one contract
 * the first descriptor with schemas wins (a real record over a pending one).
 */
export function usedSurfaces(sources: readonly SurfaceGroups[], issues: IssueCollector): SurfaceGroups {
  const used = emptyGroups();
  for (const source of sources) {
    for (const section of SECTIONS) {
      for (const [name, surface] of Object.entries(source[section])) {
        const current = used[section][name];
        if (current === undefined || (isPending(current) && !isPending(surface))) used[section][name] = surface;
        else if (current.contractId !== surface.contractId) {
          issues.add(
            ["uses"],
            `${section} '${name}' is used from both '${current.contractId}' and '${surface.contractId}'; API.trellis can hold only one`,
          );
        }
      }
    }
  }
  return freezeGroups(used);
}

/** `API`, with `trellis` = owned ∪ used; a name in both is an error. */
export function contractApi(owned: SurfaceGroups, used: SurfaceGroups, issues: IssueCollector): ContractApi {
  const trellis = emptyGroups();
  for (const section of SECTIONS) {
    Object.assign(trellis[section], owned[section]);
    for (const [name, surface] of Object.entries(used[section])) {
      if (Object.hasOwn(owned[section], name)) {
        issues.add([section, name], `'${name}' is both owned and used ('${surface.contractId}'); rename one of them`);
      } else trellis[section][name] = surface;
    }
  }
  return Object.freeze({ owned, used, trellis: freezeGroups(trellis) }) as ContractApi;
}

type MutableGroups = { [S in SurfaceSection]: Record<string, SurfaceGroups[S][string]> };

function emptyGroups(): MutableGroups {
  return { rpc: {}, operations: {}, events: {}, feeds: {} };
}

function freezeGroups(groups: MutableGroups): SurfaceGroups {
  for (const section of SECTIONS) {
    for (const surface of Object.values(groups[section])) Object.freeze(surface);
    Object.freeze(groups[section]);
  }
  return Object.freeze(groups);
}

function isPending(surface: SurfaceGroups[SurfaceSection][string]): boolean {
  switch (surface.kind) {
    case "rpc":
    case "feed":
      return surface.input === undefined;
    case "operation":
      return surface.input === undefined;
    case "event":
      return surface.event === undefined;
  }
}

function mapValues<TIn, TOut>(
  section: Record<string, TIn> | undefined,
  build: (name: string, value: TIn) => TOut,
): Record<string, TOut> {
  const built: Record<string, TOut> = {};
  for (const [name, value] of Object.entries(section ?? {})) built[name] = build(name, value);
  return built;
}
