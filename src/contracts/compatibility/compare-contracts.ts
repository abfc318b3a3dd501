import type { NormalizedManifest } from "../manifest/types.ts";
import { compareCapabilityDeclarations } from "./compare-capabilities.ts";
import { compareConsumers } from "./compare-consumers.ts";
import { compareErrors } from "./compare-errors.ts";
import { compareExports } from "./compare-exports.ts";
import { compareIdentity } from "./compare-identity.ts";
import { compareJobs } from "./compare-jobs.ts";
import { compareResources } from "./compare-resources.ts";
import { compareState } from "./compare-state.ts";
import { compareSurfaces } from "./compare-surfaces.ts";
import { compareUses } from "./compare-uses.ts";
import { CompareContext } from "./context.ts";
import type { Finding } from "./finding.ts";
import { compareText } from "./keyed.ts";
import type { CompatibilityReport } from "./report.ts";

/**
 * Compares two versions of one contract and classifies every change for its
 * callers and for its owner (design/compatibility.md). Pure: the manifests
 * must be normalized (`loadManifest`), and nothing else is consulted.
 */
export function compareContracts(before: NormalizedManifest, after: NormalizedManifest): CompatibilityReport {
  const ctx = new CompareContext(before, after);
  const identity = compareIdentity(ctx);
  compareCapabilityDeclarations(ctx);
  compareSurfaces(ctx);
  compareErrors(ctx);
  compareExports(ctx);
  compareState(ctx);
  compareJobs(ctx);
  compareConsumers(ctx);
  compareResources(ctx);
  compareUses(ctx);

  // contracts.md §1: breaking changes MUST bump @vN. Only callers pin the id;
  // owner-side breaks are migrations of the same lineage.
  const callerBreaking = ctx.findings.filter((finding) => finding.caller === "breaking").length;
  if (identity.sameLineage && !identity.bumped && before.id === after.id && callerBreaking > 0) {
    ctx.add({
      path: ["id"],
      change: "contract.id-not-bumped",
      message: `${callerBreaking} change${callerBreaking === 1 ? "" : "s"} break${callerBreaking === 1 ? "s" : ""} callers but the id stays '${after.id}': a breaking change must bump @vN (contracts.md §1)`,
      caller: "breaking",
    });
  }

  const findings = ctx.findings.sort(byPlace);
  return {
    before: { id: before.id, kind: before.kind },
    after: { id: after.id, kind: after.kind },
    sameLineage: identity.sameLineage,
    findings,
    callerBreaking: findings.filter((finding) => finding.caller === "breaking").length,
    ownerBreaking: findings.filter((finding) => finding.owner === "breaking").length,
    compatible: findings.every((finding) => finding.caller === "compatible" && finding.owner === "compatible"),
  };
}

/** Manifest sections in the order of contracts.md §1, identity first. */
const SECTION_ORDER = [
  "id",
  "kind",
  "capabilities",
  "rpc",
  "operations",
  "events",
  "feeds",
  "errors",
  "exports",
  "state",
  "jobs",
  "eventConsumers",
  "resources",
  "uses",
];

function sectionRank(path: string): number {
  const section = path.split("/")[1] ?? "";
  const rank = SECTION_ORDER.indexOf(section);
  return rank === -1 ? SECTION_ORDER.length : rank;
}

/** Stable order: by section, then pointer (a surface's findings stay together), then code and message. */
function byPlace(a: Finding, b: Finding): number {
  return (
    sectionRank(a.path) - sectionRank(b.path) ||
    compareText(surfacePart(a.path), surfacePart(b.path)) ||
    compareText(a.path, b.path) ||
    compareText(a.change, b.change) ||
    compareText(a.message, b.message)
  );
}

/** `/rpc/Orders.Get/input` → `/rpc/Orders.Get`: keeps one surface's findings adjacent. */
function surfacePart(path: string): string {
  return path.split("/").slice(0, 3).join("/");
}
