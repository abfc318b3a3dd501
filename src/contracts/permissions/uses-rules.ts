import { pointerOf } from "../json/pure-json.ts";
import type { RuleCollector } from "./make-rule.ts";
import type { ResolvedUse, ResolvedUses, RuleOrigin } from "./types.ts";

/** Caller-side transfer subjects (contracts.md §5 table, last row): any session's upload/download. */
export const TRANSFER_UPLOAD_ANY = "transfer.v1.upload.*.*";
export const TRANSFER_DOWNLOAD_ANY = "transfer.v1.download.*.*";

/**
 * The rules a contract gets from its resolved `uses` (contracts.md §5
 * "Rules" table). Gates come from the target descriptor, never from the
 * dependent manifest.
 */
export function addUsesRules(out: RuleCollector, resolved: ResolvedUses, options: { transfer: boolean }): void {
  for (const use of resolved.uses) addAliasRules(out, use, options);
}

function addAliasRules(out: RuleCollector, use: ResolvedUse, options: { transfer: boolean }): void {
  const origin: RuleOrigin = { source: "uses", alias: use.alias, group: use.group };
  const contractId = use.contractId;
  const at = pointerOf(["uses", use.group, use.alias]);

  for (const { name, descriptor: t } of use.rpc) {
    const call = t.capabilities?.call ?? [];
    const surface = { contractId, kind: "rpc", name, action: "call" } as const;
    out.surface("pub", t.subject, call, surface, origin, at);
    if (options.transfer && t.transfer !== undefined) out.fixed("pub", TRANSFER_DOWNLOAD_ANY, call, surface, origin);
  }

  for (const { name, descriptor: t } of use.operations) {
    const call = t.capabilities?.call;
    const control = `${t.subject}.control`;
    const start = { contractId, kind: "operation", name, action: "call" } as const;
    out.surface("pub", t.subject, call ?? [], start, origin, at);
    // get/wait/watch travel on the control subject, gated by observe (default call).
    const observe = t.capabilities?.observe ?? call ?? [];
    out.surface("pub", control, observe, { ...start, action: "observe" }, origin, at);
    // cancel also travels on the control subject; without a `cancel` list nobody but the owner may cancel.
    const cancel = t.capabilities?.cancel;
    if (t.cancel === true && cancel !== undefined) {
      out.surface("pub", control, cancel, { ...start, action: "cancel" }, origin, at);
    }
    if (options.transfer && t.transfer !== undefined) out.fixed("pub", TRANSFER_UPLOAD_ANY, call ?? [], start, origin);
  }

  for (const { name, descriptor: t } of use.eventsPublish) {
    const surface = { contractId, kind: "event", name, action: "publish" } as const;
    out.surface("pub", t.subject, t.capabilities?.publish ?? [], surface, origin, at);
  }
  for (const { name, descriptor: t } of use.eventsSubscribe) {
    const surface = { contractId, kind: "event", name, action: "subscribe" } as const;
    out.surface("sub", t.subject, t.capabilities?.subscribe ?? [], surface, origin, at);
  }

  // A feed caller *publishes* its input to the feed subject (runtime-wire.md §4); frames come back on its inbox.
  for (const { name, descriptor: t } of use.feeds) {
    const surface = { contractId, kind: "feed", name, action: "subscribe" } as const;
    out.surface("pub", t.subject, t.capabilities?.subscribe ?? [], surface, origin, at);
  }
}
