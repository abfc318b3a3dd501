import type { NormalizedManifest, Use } from "../manifest/types.ts";
import type { CompareContext } from "./context.ts";
import { compareText, diffLists, quoteList } from "./keyed.ts";

type Group = "required" | "optional";
type Dependency = { group: Group; use: Use };

/** The surface lists of a `Use` (contracts.md §5), by the action they grant. */
const LISTS = [
  ["rpc", "call"],
  ["operations", "call"],
  ["events", "publish"],
  ["events", "subscribe"],
  ["feeds", "subscribe"],
] as const;

/**
 * `uses`: the contract's own dependencies, so owner-only. Required aliases
 * fail closed at approval and activation (contracts.md §5): a new required
 * alias, or a new surface in one, is a deploy-order constraint the old
 * version did not have; optional ones only grant while they resolve.
 */
export function compareUses(ctx: CompareContext): void {
  const before = dependencies(ctx.before);
  const after = dependencies(ctx.after);
  const aliases = [...new Set([...before.keys(), ...after.keys()])].sort(compareText);
  for (const alias of aliases) {
    const old = before.get(alias);
    const now = after.get(alias);
    const path = ["uses", (now ?? old)!.group, alias];
    if (old === undefined) {
      const required = now!.group === "required";
      ctx.add({
        path,
        change: required ? "uses.required-added" : "uses.optional-added",
        message: required
          ? `now requires '${now!.use.contract}' (alias '${alias}'): approval and activation fail closed until it is active`
          : `optionally uses '${now!.use.contract}' (alias '${alias}')`,
        owner: required ? "breaking" : "compatible",
      });
      continue;
    }
    if (now === undefined) {
      ctx.add({ path, change: "uses.removed", message: `no longer uses '${old.use.contract}' (alias '${alias}')` });
      continue;
    }
    const required = now.group === "required";
    if (old.use.contract !== now.use.contract) {
      ctx.add({
        path: [...path, "contract"],
        change: "uses.contract-changed",
        message: `alias '${alias}' now targets '${now.use.contract}' instead of '${old.use.contract}'${required ? ": it must be active first" : ""}`,
        owner: required ? "breaking" : "compatible",
      });
    }
    if (old.group !== now.group) {
      ctx.add({
        path,
        change: required ? "uses.promoted" : "uses.demoted",
        message: required
          ? `alias '${alias}' is now required: approval and activation fail closed without '${now.use.contract}'`
          : `alias '${alias}' is now optional`,
        owner: required ? "breaking" : "compatible",
      });
    }
    for (const [kind, action] of LISTS) {
      const list = (use: Use): string[] | undefined => {
        const container: Partial<Record<"call" | "publish" | "subscribe", string[]>> | undefined = use[kind];
        return container?.[action];
      };
      const { removed, added } = diffLists(list(old.use), list(now.use));
      if (added.length > 0) {
        ctx.add({
          path: [...path, kind, action],
          change: "uses.surface-added",
          message: `alias '${alias}' now needs ${kind}.${action} ${quoteList(added)}${required ? ` of '${now.use.contract}': the target must offer it or activation fails closed` : ""}`,
          owner: required ? "breaking" : "compatible",
        });
      }
      if (removed.length > 0) {
        ctx.add({
          path: [...path, kind, action],
          change: "uses.surface-removed",
          message: `alias '${alias}' no longer needs ${kind}.${action} ${quoteList(removed)}`,
        });
      }
    }
  }
}

/** Alias → its group and use; an alias in both groups counts as required (contracts.md §5). */
function dependencies(m: NormalizedManifest): Map<string, Dependency> {
  const result = new Map<string, Dependency>();
  for (const [alias, use] of Object.entries(m.uses?.optional ?? {})) result.set(alias, { group: "optional", use });
  for (const [alias, use] of Object.entries(m.uses?.required ?? {})) result.set(alias, { group: "required", use });
  return result;
}
