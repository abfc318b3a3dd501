import type { ValidationIssue } from "../errors/builtin.ts";
import { issueAt, type RuleContext } from "./issue.ts";
import type { LooseManifest } from "./loose.ts";

/**
 * A cap on surfaces per manifest (§8 leaves sizes open). A manifest is
 * served in one NATS message (`Trellis.Contract.Get`, 1 MiB by default), so
 * real contracts stay far below this; the cap bounds the cost of the overlap
 * check, whose worst case grows with the square of the surface count.
 */
export const MAX_SURFACES = 2048;

export function surfaceCount(m: LooseManifest): number {
  return [m.rpc, m.operations, m.events, m.feeds].reduce(
    (count, section) => count + Object.keys(section ?? {}).length,
    0,
  );
}

export function checkSurfaceCount({ manifest }: RuleContext): ValidationIssue[] {
  const count = surfaceCount(manifest);
  return count > MAX_SURFACES
    ? [issueAt([], `declares ${count} surfaces (rpc, operations, events, feeds); at most ${MAX_SURFACES} are allowed`)]
    : [];
}
