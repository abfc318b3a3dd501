import type { JsonValue } from "../json/pure-json.ts";
import type { FeedDescriptor, NormalizedManifest } from "../manifest/types.ts";
import { compareGate } from "./compare-capabilities.ts";
import { compareSubject } from "./surface-subject.ts";
import { schemaOf, type CompareContext } from "./context.ts";
import type { SurfaceRef } from "./finding.ts";
import { CALLER_RECEIVES, CALLER_SENDS, compareSchemaAt } from "./schema-position.ts";

/** A feed: the caller publishes `input`, the owner streams items matching `event` (runtime-wire.md §4). */
export function compareFeed(ctx: CompareContext, name: string, before: FeedDescriptor, after: FeedDescriptor): void {
  const surface: SurfaceRef = { kind: "feed", name };
  compareSubject(ctx, "feed", "feeds", name, before.subject, after.subject);
  compareSchemaAt(ctx, {
    path: ["feeds", name, "input"],
    surface,
    label: "input",
    before: schemaOf(ctx.before, before.input),
    after: schemaOf(ctx.after, after.input),
    rule: { caller: CALLER_SENDS },
  });
  compareSchemaAt(ctx, {
    path: ["feeds", name, "event"],
    surface,
    label: "items",
    before: schemaOf(ctx.before, before.event),
    after: schemaOf(ctx.after, after.event),
    rule: { caller: CALLER_RECEIVES },
  });
  compareGate(ctx, {
    path: ["feeds", name, "capabilities", "subscribe"],
    surface,
    gate: "subscribe",
    before: before.capabilities?.subscribe ?? [],
    after: after.capabilities?.subscribe ?? [],
  });
}

export function feedSignature(m: NormalizedManifest, feed: FeedDescriptor): JsonValue {
  return { input: schemaOf(m, feed.input), event: schemaOf(m, feed.event) } as JsonValue;
}
