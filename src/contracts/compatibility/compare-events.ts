import type { JsonValue } from "../json/pure-json.ts";
import type { EventDescriptor, NormalizedManifest } from "../manifest/types.ts";
import { wildcardSubject } from "../subjects/wildcard.ts";
import { compareGate } from "./compare-capabilities.ts";
import { schemaOf, type CompareContext } from "./context.ts";
import type { SurfaceRef } from "./finding.ts";
import { compareSchemaAt, type SchemaRule } from "./schema-position.ts";

/**
 * An event is published (by the owner, and by other contracts whose `uses`
 * grant `events.publish`) into the shared `trellis` stream and read by
 * subscribers. Stored history is replayed by durable consumer groups.
 */
export function compareEvent(ctx: CompareContext, name: string, before: EventDescriptor, after: EventDescriptor): void {
  const surface: SurfaceRef = { kind: "event", name };
  const at = (...path: string[]) => ["events", name, ...path];
  const selfConsumed = consumedByOwner(ctx, name);

  if (before.subject !== after.subject) {
    const oldPattern = wildcardSubject(before.subject);
    const newPattern = wildcardSubject(after.subject);
    if (oldPattern !== newPattern) {
      ctx.add({
        path: at("subject"),
        surface,
        change: "event.subject-changed",
        message:
          `subject '${before.subject}' → '${after.subject}': subscribers of '${oldPattern}' no longer match` +
          (selfConsumed ? "; the owner's consumer groups no longer match events stored under the old subject" : ""),
        caller: "breaking",
        owner: selfConsumed ? "breaking" : "compatible",
      });
    } else {
      ctx.add({
        path: at("params"),
        surface,
        change: "event.params-changed",
        message: `params ${JSON.stringify(before.params ?? [])} → ${JSON.stringify(after.params ?? [])}: subscribers filtering by parameter values now filter on other fields`,
        caller: "breaking",
      });
    }
  }

  // An event that declares a publish gate expects publishers besides the owner: values flow both ways.
  const externalPublishers = before.capabilities?.publish !== undefined || after.capabilities?.publish !== undefined;
  const rule: SchemaRule = {
    caller: {
      newInOld: "old subscribers may receive events they reject",
      ...(externalPublishers ? { oldInNew: "events that other publishers still send may be rejected" } : {}),
    },
    ...(selfConsumed
      ? {
          owner: {
            oldInNew: "events already in the stream may be rejected (terminated) by the owner's own consumer groups",
          },
        }
      : {}),
  };
  compareSchemaAt(ctx, {
    path: at("event"),
    surface,
    label: "event",
    before: schemaOf(ctx.before, before.event),
    after: schemaOf(ctx.after, after.event),
    rule,
  });
  for (const gate of ["publish", "subscribe"] as const) {
    compareGate(ctx, {
      path: at("capabilities", gate),
      surface,
      gate,
      before: before.capabilities?.[gate] ?? [],
      after: after.capabilities?.[gate] ?? [],
    });
  }
}

/** Whether a consumer group of the owner (before or after) reads this event of its own (`self`). */
function consumedByOwner(ctx: CompareContext, name: string): boolean {
  return [ctx.before, ctx.after].some((m) =>
    Object.values(m.eventConsumers ?? {}).some((group) => group.self?.includes(name) === true),
  );
}

export function eventSignature(m: NormalizedManifest, event: EventDescriptor): JsonValue {
  return { event: schemaOf(m, event.event) } as JsonValue;
}
