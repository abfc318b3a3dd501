import type { Use } from "../manifest/types.ts";
import { IssueCollector } from "./contract-definition-error.ts";
import { isPlainObject } from "./emit-context.ts";
import { sortedUnique } from "../manifest/normalize.ts";
import type { SurfaceGroups, SurfaceSection, UseRecord } from "./surface-types.ts";
import { registerUseRecord } from "./use-record.ts";

/** The lists a `Use` may hold per section (contracts.md §5). */
export const USE_LISTS: { readonly [S in SurfaceSection]: readonly string[] } = {
  rpc: ["call"],
  operations: ["call"],
  events: ["publish", "subscribe"],
  feeds: ["subscribe"],
};

const SURFACE_WORD: { readonly [S in SurfaceSection]: string } = {
  rpc: "rpc",
  operations: "operation",
  events: "event",
  feeds: "feed",
};

type MutableGroups = { [S in SurfaceSection]: Record<string, SurfaceGroups[S][string]> };

/**
 * `<module>.use(spec)`: checks that every name is an owned surface of the
 * module (the types check the same), then returns the `Use` with `SU` lists
 * and the selected descriptors. Empty lists and sections are left out.
 */
export function createUseRecord(contractId: string, owned: SurfaceGroups, spec: unknown): UseRecord {
  const issues = new IssueCollector();
  const use: Use = { contract: contractId };
  const selected: MutableGroups = { rpc: {}, operations: {}, events: {}, feeds: {} };
  if (!isPlainObject(spec)) issues.add([], "a use spec must be an object such as { rpc: { call: [...] } }");
  else {
    for (const [section, lists] of Object.entries(spec)) {
      if (!isSection(section)) {
        issues.add([section], `unknown section '${section}': expected rpc, operations, events or feeds`);
        continue;
      }
      const container = selectSection(contractId, owned, section, lists, selected, issues);
      if (container !== undefined) (use as Record<string, unknown>)[section] = container;
    }
  }
  issues.throwIfAny(`use of '${contractId}'`);
  return registerUseRecord(use, selected) as unknown as UseRecord;
}

function selectSection(
  contractId: string,
  owned: SurfaceGroups,
  section: SurfaceSection,
  lists: unknown,
  selected: MutableGroups,
  issues: IssueCollector,
): Record<string, string[]> | undefined {
  if (!isPlainObject(lists)) {
    issues.add([section], "must be an object of name lists");
    return undefined;
  }
  const container: Record<string, string[]> = {};
  for (const [list, names] of Object.entries(lists)) {
    if (!USE_LISTS[section].includes(list)) {
      issues.add([section, list], `unknown list '${list}': ${section} takes ${USE_LISTS[section].join(", ")}`);
      continue;
    }
    if (!Array.isArray(names)) {
      issues.add([section, list], "must be a list of surface names");
      continue;
    }
    const valid: string[] = [];
    names.forEach((name: unknown, index) => {
      const surfaces = owned[section];
      if (typeof name === "string" && Object.hasOwn(surfaces, name)) {
        valid.push(name);
        selected[section][name] = surfaces[name]!;
      } else {
        issues.add(
          [section, list, index],
          `'${String(name)}' is not an ${SURFACE_WORD[section]} owned by '${contractId}'`,
        );
      }
    });
    if (valid.length > 0) container[list] = sortedUnique(valid);
  }
  return Object.keys(container).length > 0 ? container : undefined;
}

function isSection(name: string): name is SurfaceSection {
  return Object.hasOwn(USE_LISTS, name);
}
