import type { JsonValue } from "../json/pure-json.ts";
import type { NormalizedManifest, OperationDescriptor } from "../manifest/types.ts";
import { compareGate } from "./compare-capabilities.ts";
import { schemaOf, type CompareContext } from "./context.ts";
import type { SurfaceRef } from "./finding.ts";
import { compareTransfer } from "./compare-transfer.ts";
import { diffKeys } from "./keyed.ts";
import { CALLER_RECEIVES, CALLER_SENDS, compareSchemaAt, type Need } from "./schema-position.ts";
import { compareSubject } from "./surface-subject.ts";

/**
 * Snapshots (progress, output) and accepted signals are stored in the
 * owner's operations bucket (operations.md §4) and read back after the
 * change, for operations started before it.
 */
const STORED_SNAPSHOTS: Need = { oldInNew: "snapshots stored for operations started before may no longer validate" };
const STORED_SIGNALS: Need = { oldInNew: "signals already accepted for running operations may no longer validate" };

export function compareOperation(
  ctx: CompareContext,
  name: string,
  before: OperationDescriptor,
  after: OperationDescriptor,
): void {
  const surface: SurfaceRef = { kind: "operation", name };
  const at = (...path: string[]) => ["operations", name, ...path];
  compareSubject(ctx, "operation", "operations", name, before.subject, after.subject, " (and to its .control subject)");

  compareSchemaAt(ctx, {
    path: at("input"),
    surface,
    label: "input",
    before: schemaOf(ctx.before, before.input),
    after: schemaOf(ctx.after, after.input),
    rule: { caller: CALLER_SENDS },
  });
  compareSchemaAt(ctx, {
    path: at("output"),
    surface,
    label: "output",
    before: schemaOf(ctx.before, before.output),
    after: schemaOf(ctx.after, after.output),
    rule: { caller: CALLER_RECEIVES, owner: STORED_SNAPSHOTS },
  });
  if (before.progress !== undefined && after.progress !== undefined) {
    compareSchemaAt(ctx, {
      path: at("progress"),
      surface,
      label: "progress",
      before: schemaOf(ctx.before, before.progress),
      after: schemaOf(ctx.after, after.progress),
      rule: { caller: CALLER_RECEIVES, owner: STORED_SNAPSHOTS },
    });
  } else if (before.progress === undefined && after.progress !== undefined) {
    ctx.add({ path: at("progress"), surface, change: "operation.progress-added", message: "progress is now typed" });
  } else if (before.progress !== undefined && after.progress === undefined) {
    ctx.add({
      path: at("progress"),
      surface,
      change: "operation.progress-removed",
      message:
        "progress is no longer typed: old callers validate progress against a schema the owner no longer keeps to",
      caller: "breaking",
    });
  }

  const signals = diffKeys(before.signals, after.signals);
  for (const signal of signals.removed) {
    ctx.add({
      path: at("signals", signal),
      surface,
      change: "operation.signal-removed",
      message: `signal '${signal}' removed: callers sending it get ValidationError`,
      caller: "breaking",
    });
  }
  for (const signal of signals.added) {
    ctx.add({
      path: at("signals", signal),
      surface,
      change: "operation.signal-added",
      message: `signal '${signal}' added`,
    });
  }
  for (const signal of signals.kept) {
    compareSchemaAt(ctx, {
      path: at("signals", signal, "input"),
      surface,
      label: `signal '${signal}' input`,
      before: schemaOf(ctx.before, before.signals![signal]!.input),
      after: schemaOf(ctx.after, after.signals![signal]!.input),
      rule: { caller: CALLER_SENDS, owner: STORED_SIGNALS },
    });
  }

  const caps = (op: OperationDescriptor) => op.capabilities ?? {};
  compareGate(ctx, {
    path: at("capabilities", "call"),
    surface,
    gate: "start (call)",
    before: caps(before).call ?? [],
    after: caps(after).call ?? [],
  });
  // observe defaults to call (operations.md §2).
  compareGate(ctx, {
    path: at("capabilities", "observe"),
    surface,
    gate: "get/wait/watch (observe)",
    before: caps(before).observe ?? caps(before).call ?? [],
    after: caps(after).observe ?? caps(after).call ?? [],
  });
  compareGate(ctx, {
    path: at("capabilities", "control"),
    surface,
    gate: "signals (control)",
    before: caps(before).control ?? [],
    after: caps(after).control ?? [],
  });
  compareCancel(ctx, name, before, after);
  compareTransfer(ctx, name, before.transfer, after.transfer);
}

/** Callers can cancel only when `cancel: true` and a `capabilities.cancel` list exist (operations.md §6). */
function compareCancel(
  ctx: CompareContext,
  name: string,
  before: OperationDescriptor,
  after: OperationDescriptor,
): void {
  const surface: SurfaceRef = { kind: "operation", name };
  const list = (op: OperationDescriptor) => (op.cancel === true ? op.capabilities?.cancel : undefined);
  const old = list(before);
  const now = list(after);
  if (old !== undefined && now !== undefined) {
    compareGate(ctx, {
      path: ["operations", name, "capabilities", "cancel"],
      surface,
      gate: "cancel",
      before: old,
      after: now,
    });
  } else if (old !== undefined) {
    ctx.add({
      path: ["operations", name, ...(after.cancel === true ? ["capabilities", "cancel"] : ["cancel"])],
      surface,
      change: "operation.cancel-disabled",
      message: "callers can no longer cancel it (cancel is refused)",
      caller: "breaking",
    });
  } else if (now !== undefined) {
    ctx.add({
      path: ["operations", name, "capabilities", "cancel"],
      surface,
      change: "operation.cancel-enabled",
      message: "callers may now cancel it",
    });
  } else if ((before.cancel === true) !== (after.cancel === true)) {
    // Without a cancel list no caller could cancel either way; only the owner's own cancel() changes.
    ctx.add({
      path: ["operations", name, "cancel"],
      surface,
      change: after.cancel === true ? "operation.cancel-enabled" : "operation.cancel-disabled",
      message: `cancel ${before.cancel === true} → ${after.cancel === true} (no cancel capability list: callers cannot cancel either way)`,
    });
  }
}

export function operationSignature(m: NormalizedManifest, op: OperationDescriptor): JsonValue {
  const signals: Record<string, JsonValue> = {};
  for (const [signal, descriptor] of Object.entries(op.signals ?? {}))
    signals[signal] = schemaOf(m, descriptor.input) as JsonValue;
  return {
    input: schemaOf(m, op.input),
    output: schemaOf(m, op.output),
    progress: op.progress === undefined ? null : schemaOf(m, op.progress),
    signals,
  } as JsonValue;
}
