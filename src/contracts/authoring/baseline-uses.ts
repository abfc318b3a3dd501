import type { ContractKind, Use, Uses } from "../manifest/types.ts";
import type { IssueCollector } from "./contract-definition-error.ts";
import { sortedUnique } from "../manifest/normalize.ts";
import type { EventSurface, RpcSurface, SurfaceGroups, SurfaceSection } from "./surface-types.ts";
import { USE_LISTS } from "./use.ts";

/**
 * Baseline uses (contracts.md §5): every contract of a kind gets these
 * aliases in `uses.required`, whatever its source says.
 *
 * The `trellis.*` contracts they point at are not contract sources yet, so
 * the descriptors handed to `API.used` are *pending*: name, contract id and
 * the §1 default subject (v1), but `undefined` schemas. When those sources
 * exist, this module should import them and build the records with
 * `<module>.use(...)` instead of `pendingSurfaces`, and the `*Baseline` types
 * in surface-types.ts become `SelectedSurfaces<typeof module.API.owned, ...>`;
 * the emitted manifest does not change.
 */
export const BASELINE_USES = {
  health: { contract: "trellis.health@v1", events: { publish: ["Health.Heartbeat"] } },
  auth: { contract: "trellis.auth@v1", rpc: { call: ["Auth.Sessions.Logout", "Auth.Sessions.Me"] } },
  state: { contract: "trellis.state@v1", rpc: { call: ["State.Delete", "State.Get", "State.List", "State.Put"] } },
} as const satisfies Record<string, Use>;

export type BaselineAlias = keyof typeof BASELINE_USES;

export function baselineAliases(kind: ContractKind, id: string, declaresState: boolean): BaselineAlias[] {
  const aliases: BaselineAlias[] = [];
  if ((kind === "service" || kind === "device") && id !== BASELINE_USES.health.contract) aliases.push("health");
  if (kind === "app" || kind === "agent" || kind === "device") aliases.push("auth");
  if (declaresState) aliases.push("state");
  return aliases;
}

/**
 * Adds the baseline aliases to `uses.required`, merging lists into an
 * explicit alias of the same contract. An alias of that name pointing at
 * another contract is an error, in `optional` too (the baseline would shadow it).
 */
export function addBaselineUses(uses: Uses, aliases: readonly BaselineAlias[], issues: IssueCollector): void {
  for (const alias of aliases) {
    const baseline: Use = BASELINE_USES[alias];
    const required = (uses.required ??= {});
    for (const group of ["required", "optional"] as const) {
      const existing = uses[group]?.[alias];
      if (existing !== undefined && existing.contract !== baseline.contract) {
        issues.add(
          ["uses", group, alias, "contract"],
          `alias '${alias}' is the baseline use of '${baseline.contract}' but points at '${existing.contract}'`,
        );
      }
    }
    const existing = required[alias];
    if (existing === undefined) required[alias] = structuredClone(baseline);
    else if (existing.contract === baseline.contract) required[alias] = mergeUses(existing, baseline);
  }
}

/** The union of two uses of one contract, every list `SU`. */
export function mergeUses(left: Use, right: Use): Use {
  const merged: Use = { contract: left.contract };
  for (const section of Object.keys(USE_LISTS) as SurfaceSection[]) {
    const lists: Record<string, string[]> = {};
    for (const list of USE_LISTS[section]) {
      const names = [...listOf(left, section, list), ...listOf(right, section, list)];
      if (names.length > 0) lists[list] = sortedUnique(names);
    }
    if (Object.keys(lists).length > 0) (merged as Record<string, unknown>)[section] = lists;
  }
  return merged;
}

function listOf(use: Use, section: SurfaceSection, list: string): readonly string[] {
  const container = use[section] as Record<string, readonly string[] | undefined> | undefined;
  return container?.[list] ?? [];
}

/** Pending descriptors of the baseline surfaces (see the module comment). */
export function pendingSurfaces(aliases: readonly BaselineAlias[]): SurfaceGroups {
  const rpc: Record<string, RpcSurface> = {};
  const events: Record<string, EventSurface> = {};
  for (const alias of aliases) {
    const use: Use = BASELINE_USES[alias];
    for (const name of use.rpc?.call ?? []) rpc[name] = pendingRpc(use.contract, name);
    for (const name of use.events?.publish ?? []) events[name] = pendingEvent(use.contract, name);
  }
  return { rpc, operations: {}, events, feeds: {} };
}

function pendingRpc(contractId: string, name: string): RpcSurface {
  return Object.freeze({
    kind: "rpc",
    contractId,
    name,
    subject: `rpc.v1.${name}`,
    capabilities: {},
    input: undefined,
    output: undefined,
    errors: [],
    errorClasses: {},
  });
}

function pendingEvent(contractId: string, name: string): EventSurface {
  return Object.freeze({
    kind: "event",
    contractId,
    name,
    subject: `events.v1.${name}`,
    params: [],
    event: undefined,
    capabilities: {},
  });
}
