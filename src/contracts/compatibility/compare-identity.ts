import { contractNamespace, parseContractId } from "../rules/identity.ts";
import type { CompareContext } from "./context.ts";

export type IdentityChange = { sameLineage: boolean; bumped: boolean };

/**
 * Id and kind (contracts.md §1): the id names a lineage (`<name>@v<N>`), and
 * a breaking change must bump `N`. Another name is another contract.
 */
export function compareIdentity(ctx: CompareContext): IdentityChange {
  const { before, after } = ctx;
  const old = parseContractId(before.id);
  const now = parseContractId(after.id);
  const sameLineage =
    old !== undefined && now !== undefined
      ? old.name === now.name
      : contractNamespace(before.id) === contractNamespace(after.id);
  let bumped = false;
  if (!sameLineage) {
    ctx.add({
      path: ["id"],
      change: "contract.lineage-changed",
      message: `'${before.id}' and '${after.id}' are different contracts: nothing carries over (callers, grants, stored data)`,
      caller: "breaking",
      owner: "breaking",
    });
  } else if (old !== undefined && now !== undefined && old.major !== now.major) {
    bumped = now.major > old.major;
    ctx.add(
      bumped
        ? {
            path: ["id"],
            change: "contract.version-bumped",
            message: `${before.id} → ${after.id}: a new major version, activated next to the old one; callers move when they choose`,
          }
        : {
            path: ["id"],
            change: "contract.version-lowered",
            message: `${before.id} → ${after.id}: the major version went backwards`,
            caller: "breaking",
          },
    );
  }
  if (before.kind !== after.kind) {
    ctx.add({
      path: ["kind"],
      change: "contract.kind-changed",
      message: `kind ${before.kind} → ${after.kind}: permissions, baseline uses and what the participant may own all change`,
      caller: "breaking",
      owner: "breaking",
    });
  }
  return { sameLineage, bumped };
}
