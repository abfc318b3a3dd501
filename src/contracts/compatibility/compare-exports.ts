import type { CompareContext } from "./context.ts";
import { diffLists } from "./keyed.ts";

/** `exports.schemas` name the types SDKs expose; a type that disappears breaks code importing it. */
export function compareExports(ctx: CompareContext): void {
  const { removed, added } = diffLists(ctx.before.exports?.schemas, ctx.after.exports?.schemas);
  for (const name of removed) {
    ctx.add({
      path: ["exports", "schemas"],
      change: "export.removed",
      message: `schema '${name}' is no longer exported: SDK code importing its type stops compiling`,
      caller: "breaking",
    });
  }
  for (const name of added) {
    ctx.add({ path: ["exports", "schemas"], change: "export.added", message: `schema '${name}' exported` });
  }
}
