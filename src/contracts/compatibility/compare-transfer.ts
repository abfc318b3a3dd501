import type { OperationTransfer } from "../manifest/types.ts";
import type { CompareContext } from "./context.ts";
import type { Impact, SurfaceRef } from "./finding.ts";

/** Transfer-capable operations start through a builder with a body (operations.md §9). */
export function compareTransfer(
  ctx: CompareContext,
  name: string,
  before: OperationTransfer | undefined,
  after: OperationTransfer | undefined,
): void {
  const surface: SurfaceRef = { kind: "operation", name };
  const path = ["operations", name, "transfer"];
  if (before === undefined && after === undefined) return;
  if (before === undefined || after === undefined) {
    ctx.add({
      path,
      surface,
      change: before === undefined ? "operation.transfer-added" : "operation.transfer-removed",
      message:
        before === undefined
          ? "now takes an upload (transfer send): starting it needs a transfer body"
          : "no longer takes an upload: callers that send one break",
      caller: "breaking",
    });
    return;
  }
  const changes: { text: string; caller: Impact }[] = [];
  for (const field of ["key", "contentType", "metadata"] as const) {
    if (before[field] !== after[field])
      changes.push({
        text: `${field} pointer ${before[field] ?? "none"} → ${after[field] ?? "none"}`,
        caller: "breaking",
      });
  }
  if (before.store !== after.store)
    changes.push({
      text: `store '${before.store}' → '${after.store}' (earlier uploads stay in the old store)`,
      caller: "compatible",
    });
  for (const field of ["maxBytes", "expiresInMs"] as const) {
    const old = before[field] ?? Number.POSITIVE_INFINITY;
    const now = after[field] ?? Number.POSITIVE_INFINITY;
    if (old !== now)
      changes.push({
        text: `${field} ${before[field] ?? "none"} → ${after[field] ?? "none"}`,
        caller: now < old ? "breaking" : "compatible",
      });
  }
  for (const change of changes) {
    ctx.add({
      path,
      surface,
      change: "operation.transfer-changed",
      message: `transfer ${change.text}`,
      caller: change.caller,
    });
  }
}
