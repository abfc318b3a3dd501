import { ValidationError, type ValidationIssue } from "../errors/builtin.ts";
import { pointerOf } from "../json/pure-json.ts";
import type { NormalizedManifest, SurfaceKind, Use } from "../manifest/types.ts";
import { err, ok, type Result } from "../result/result.ts";
import { effectiveContract, type EffectiveContract } from "./effective-contract.ts";
import type { ActiveContracts, Resolved, ResolvedUse, ResolvedUses, UsesGroup } from "./types.ts";

/**
 * Resolves `uses` against the active contracts (contracts.md §5
 * "Resolution"): required aliases fail closed, optional ones skip what does
 * not resolve. Runs at approval, bootstrap and session derivation; manifest
 * validation stays structural and never calls this.
 *
 * Every problem is collected (not just the first), each with a JSON pointer
 * to the alias or the offending list entry.
 */
export function resolveUses(
  manifest: NormalizedManifest,
  active: ActiveContracts,
): Result<ResolvedUses, ValidationError> {
  const required = manifest.uses?.required ?? {};
  const optional = manifest.uses?.optional ?? {};
  const targets = new Map<string, EffectiveContract | undefined>();
  const targetOf = (id: string) => {
    if (!targets.has(id)) {
      const manifests = active.get(id) ?? [];
      targets.set(id, manifests.length === 0 ? undefined : effectiveContract(id, manifests));
    }
    return targets.get(id);
  };

  const issues: ValidationIssue[] = [];
  const resolved: ResolvedUses = { uses: [], skippedAliases: [] };
  const visit = (group: UsesGroup, alias: string, use: Use) => {
    const target = targetOf(use.contract);
    if (target === undefined) {
      if (group === "required") {
        issues.push({
          path: pointerOf(["uses", group, alias]),
          message: `Dependency '${alias}' references unknown contract '${use.contract}'`,
        });
      } else {
        resolved.skippedAliases.push({ alias, contractId: use.contract });
      }
      return;
    }
    resolved.uses.push(resolveAlias({ group, alias, use, target, issues, skipped: [] }));
  };

  for (const alias of Object.keys(required).sort()) visit("required", alias, required[alias]!);
  // An alias in both groups counts as required: the optional entry is ignored whole.
  for (const alias of Object.keys(optional).sort()) {
    if (!Object.hasOwn(required, alias)) visit("optional", alias, optional[alias]!);
  }
  return issues.length > 0 ? err(new ValidationError(issues)) : ok(resolved);
}

type AliasContext = {
  group: UsesGroup;
  alias: string;
  use: Use;
  target: EffectiveContract;
  issues: ValidationIssue[];
  skipped: ResolvedUse["skipped"];
};

function resolveAlias(ctx: AliasContext): ResolvedUse {
  const { use, target } = ctx;
  return {
    alias: ctx.alias,
    group: ctx.group,
    contractId: target.id,
    rpc: resolveList(ctx, "rpc", ["rpc", "call"], use.rpc?.call, target.rpc),
    operations: resolveList(ctx, "operation", ["operations", "call"], use.operations?.call, target.operations),
    eventsPublish: resolveList(ctx, "event", ["events", "publish"], use.events?.publish, target.events),
    eventsSubscribe: resolveList(ctx, "event", ["events", "subscribe"], use.events?.subscribe, target.events),
    feeds: resolveList(ctx, "feed", ["feeds", "subscribe"], use.feeds?.subscribe, target.feeds),
    skipped: ctx.skipped,
  };
}

/** Resolves one `Use` list (`path` is where it sits under the alias) against one target section. */
function resolveList<D>(
  ctx: AliasContext,
  kind: SurfaceKind,
  path: readonly string[],
  names: readonly string[] | undefined,
  surfaces: ReadonlyMap<string, D>,
): Resolved<D>[] {
  const out: Resolved<D>[] = [];
  const seen = new Set<string>();
  // Lists are sets (normalization keeps duplicates); the first occurrence is the one reported.
  (names ?? []).forEach((name, index) => {
    if (seen.has(name)) return;
    seen.add(name);
    const descriptor = surfaces.get(name);
    if (descriptor !== undefined) {
      out.push({ name, descriptor });
      return;
    }
    // Absent from the union: missing in every digest, or divergent between them.
    const divergent = ctx.target.divergent.some((d) => d.kind === kind && d.name === name);
    if (ctx.group === "optional") {
      ctx.skipped.push({ kind, name, reason: divergent ? "divergent" : "missing" });
      return;
    }
    const id = ctx.target.id;
    ctx.issues.push({
      path: pointerOf(["uses", ctx.group, ctx.alias, ...path, index]),
      message: divergent
        ? `Dependency '${ctx.alias}' references ${kind} '${name}' on '${id}' whose active digests disagree`
        : `Dependency '${ctx.alias}' references missing ${kind} '${name}' on '${id}'`,
    });
  });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
