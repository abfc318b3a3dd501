import type { JsonValue } from "../json/pure-json.ts";
import type { NormalizedManifest, SurfaceKind } from "../manifest/types.ts";
import { compareEvent, eventSignature } from "./compare-events.ts";
import { compareFeed, feedSignature } from "./compare-feeds.ts";
import { compareOperation, operationSignature } from "./compare-operations.ts";
import { compareRpc, rpcSignature } from "./compare-rpc.ts";
import type { CompareContext } from "./context.ts";
import { diffKeys } from "./keyed.ts";
import { renameHints } from "./renames.ts";
import { keyOf } from "./schema-compare/values.ts";

type Descriptor = { version: string; subject: string };

/** What callers lose when a surface of each kind disappears. */
const REMOVED: Readonly<Record<SurfaceKind, string>> = {
  rpc: "removed: calls get no responder",
  operation: "removed: callers can no longer start it or observe running ones",
  event: "removed: subscribers receive nothing more",
  feed: "removed: subscriptions get no responder",
};

/** Every rpc, operation, event and feed: removed, added (renames hinted) or compared one by one. */
export function compareSurfaces(ctx: CompareContext): void {
  section(ctx, "rpc", "rpc", (m) => m.rpc, compareRpc, rpcSignature);
  section(ctx, "operation", "operations", (m) => m.operations, compareOperation, operationSignature);
  section(ctx, "event", "events", (m) => m.events, compareEvent, eventSignature);
  section(ctx, "feed", "feeds", (m) => m.feeds, compareFeed, feedSignature);
}

function section<D extends Descriptor>(
  ctx: CompareContext,
  kind: SurfaceKind,
  key: string,
  get: (m: NormalizedManifest) => Record<string, D> | undefined,
  compare: (ctx: CompareContext, name: string, before: D, after: D) => void,
  signature: (m: NormalizedManifest, descriptor: D) => JsonValue,
): void {
  const before = get(ctx.before) ?? {};
  const after = get(ctx.after) ?? {};
  const { removed, added, kept } = diffKeys(before, after);
  const hints = renameHints(removed, added, (name, side) =>
    side === "before" ? keyOf(signature(ctx.before, before[name]!)) : keyOf(signature(ctx.after, after[name]!)),
  );
  for (const name of removed) {
    ctx.add({
      path: [key, name],
      surface: { kind, name },
      change: `${kind}.removed`,
      message: `${REMOVED[kind]}${hints.to(name)}`,
      caller: "breaking",
    });
  }
  for (const name of added) {
    ctx.add({
      path: [key, name],
      surface: { kind, name },
      change: `${kind}.added`,
      message: `added${hints.from(name)}`,
    });
  }
  for (const name of kept) {
    const old = before[name]!;
    const now = after[name]!;
    if (old.version !== now.version) {
      ctx.add({
        path: [key, name, "version"],
        surface: { kind, name },
        change: `${kind}.version-changed`,
        message: `version ${old.version} → ${now.version}: a new revision of the surface; callers written against ${old.version} must be updated`,
        caller: "breaking",
      });
    }
    compare(ctx, name, old, now);
  }
}
