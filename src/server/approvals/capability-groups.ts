import { builtinManifests } from "../../contracts/index.ts";
import type { UserRecord } from "../store/records.ts";

let adminGroup: readonly string[] | undefined;

/**
 * The `admin` group: the platform capability `admin` plus every capability
 * the built-in contracts declare (catalog and contract reads, health, and
 * the jobs admin capabilities once that contract exists). Explicit rather
 * than "everything": an operator who approves a session for a third-party
 * contract grants its capabilities by name (`--capability`). `service` is
 * never in a group: it marks service principals only.
 */
export function adminGroupCapabilities(): readonly string[] {
  adminGroup ??= [
    ...new Set(["admin", ...builtinManifests().flatMap((manifest) => Object.keys(manifest.capabilities ?? {}))]),
  ].sort();
  return adminGroup;
}

export const KNOWN_GROUPS = ["admin"] as const;

export function groupCapabilities(group: string): readonly string[] | undefined {
  return group === "admin" ? adminGroupCapabilities() : undefined;
}

/** A user's capabilities: its own plus those of its groups, resolved at check time (auth.md §6.1). */
export function effectiveUserCapabilities(user: Pick<UserRecord, "capabilities" | "capabilityGroups">): string[] {
  const held = new Set(user.capabilities.filter((capability) => capability !== "service"));
  for (const group of user.capabilityGroups)
    for (const capability of groupCapabilities(group) ?? []) held.add(capability);
  return [...held].sort();
}

/** A service instance holds `service` plus its instance and approval capabilities (auth.md §6.1). */
export function serviceCapabilities(instanceCapabilities: readonly string[], approvalCapabilities: readonly string[]) {
  return [...new Set(["service", ...instanceCapabilities, ...approvalCapabilities])].sort();
}
