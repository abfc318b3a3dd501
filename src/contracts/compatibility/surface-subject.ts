import type { SurfaceKind } from "../manifest/types.ts";
import type { CompareContext } from "./context.ts";

/** Subject of an rpc, operation or feed: callers publish to it, and their grants name it. */
export function compareSubject(
  ctx: CompareContext,
  kind: SurfaceKind,
  key: string,
  name: string,
  before: string,
  after: string,
  extra = "",
): void {
  if (before === after) return;
  ctx.add({
    path: [key, name, "subject"],
    surface: { kind, name },
    change: `${kind}.subject-changed`,
    message: `subject '${before}' → '${after}': old callers still publish to the old subject${extra}`,
    caller: "breaking",
  });
}
