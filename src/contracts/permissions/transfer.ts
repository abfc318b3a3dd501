import { pointerOf } from "../json/pure-json.ts";
import type { NormalizedManifest } from "../manifest/types.ts";
import { ValidationError } from "../errors/builtin.ts";
import { err, ok, type Result } from "../result/result.ts";
import type { ResolvedUses } from "./types.ts";

/**
 * Transfer surfaces a contract declares or uses. v1 validates and digests
 * transfer fields but derives no transfer grants, and approval refuses a
 * contract with transfer surfaces (README "Scope"): a contract that uses one
 * is refused too, since its calls could never complete the transfer.
 */
export type TransferSurface = {
  via: "own" | "uses";
  contractId: string;
  kind: "rpc" | "operation";
  name: string;
  /** JSON pointer into the presented manifest. */
  path: string;
};

export function transferSurfaces(manifest: NormalizedManifest, resolved: ResolvedUses): TransferSurface[] {
  const found: TransferSurface[] = [];
  const own = (kind: TransferSurface["kind"], section: string, name: string) =>
    found.push({ via: "own", contractId: manifest.id, kind, name, path: pointerOf([section, name, "transfer"]) });
  for (const [name, rpc] of Object.entries(manifest.rpc ?? {})) if (rpc.transfer !== undefined) own("rpc", "rpc", name);
  for (const [name, op] of Object.entries(manifest.operations ?? {}))
    if (op.transfer !== undefined) own("operation", "operations", name);

  for (const use of resolved.uses) {
    const source = manifest.uses?.[use.group]?.[use.alias];
    const at = (section: string, list: readonly string[] | undefined, name: string) =>
      pointerOf(["uses", use.group, use.alias, section, "call", Math.max(0, (list ?? []).indexOf(name))]);
    for (const { name, descriptor } of use.rpc) {
      if (descriptor.transfer === undefined) continue;
      found.push({
        via: "uses",
        contractId: use.contractId,
        kind: "rpc",
        name,
        path: at("rpc", source?.rpc?.call, name),
      });
    }
    for (const { name, descriptor } of use.operations) {
      if (descriptor.transfer === undefined) continue;
      const path = at("operations", source?.operations?.call, name);
      found.push({ via: "uses", contractId: use.contractId, kind: "operation", name, path });
    }
  }
  return found;
}

/** Approval's check: Ok when the contract neither declares nor uses a transfer surface. */
export function refuseTransferSurfaces(
  manifest: NormalizedManifest,
  resolved: ResolvedUses,
): Result<void, ValidationError> {
  const found = transferSurfaces(manifest, resolved);
  if (found.length === 0) return ok();
  return err(
    new ValidationError(
      found.map((t) => ({
        path: t.path,
        message:
          t.via === "own"
            ? `${t.kind} '${t.name}' declares a transfer; transfer is not supported in v1, so this contract cannot be approved`
            : `uses ${t.kind} '${t.name}' of '${t.contractId}', which has a transfer; transfer is not supported in v1, so this contract cannot be approved`,
      })),
    ),
  );
}
