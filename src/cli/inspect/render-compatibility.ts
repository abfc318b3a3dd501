import { parsePointer, type CompatibilityReport, type Finding } from "../../contracts/index.ts";
import { renderTable } from "../app/output.ts";

/** What a finding is about, for the SURFACE column: the surface, else the section entry its pointer names. */
export function findingScope(finding: Finding): string {
  if (finding.surface !== undefined) return `${finding.surface.kind} ${finding.surface.name}`;
  const [section, first, second] = parsePointer(finding.path) ?? [];
  switch (section) {
    case "id":
    case "kind":
      return "contract";
    case "capabilities":
      return `capability ${first}`;
    case "errors":
      return `error ${first}`;
    case "exports":
      return "exports";
    case "state":
      return `state ${first}`;
    case "jobs":
      return `job ${first}`;
    case "eventConsumers":
      return `consumer ${first}`;
    case "resources":
      return `${first} ${second}`;
    case "uses":
      return `uses ${second}`;
    default:
      return section ?? "contract";
  }
}

/** The findings table (SURFACE, CHANGE, CALLERS, OWNER, DETAIL) and a summary line. */
export function renderCompatibility(report: CompatibilityReport): string {
  const lines: string[] = [];
  if (report.findings.length > 0) {
    lines.push(
      renderTable(
        ["SURFACE", "CHANGE", "CALLERS", "OWNER", "DETAIL"],
        report.findings.map((f) => [findingScope(f), f.change, f.caller, f.owner, f.message]),
      ),
      "",
    );
  }
  lines.push(summaryLine(report));
  return lines.join("\n");
}

export function summaryLine(report: CompatibilityReport): string {
  const versions = report.before.id === report.after.id ? report.after.id : `${report.before.id} → ${report.after.id}`;
  const count = report.findings.length;
  if (count === 0) return `compatible: no changes (${versions})`;
  const changes = `${count} change${count === 1 ? "" : "s"}`;
  if (report.compatible) return `compatible: ${changes}, none breaking (${versions})`;
  const parts = [
    `${report.callerBreaking} break${report.callerBreaking === 1 ? "s" : ""} callers`,
    `${report.ownerBreaking} break${report.ownerBreaking === 1 ? "s" : ""} the owner`,
  ];
  return `breaking: ${changes}, ${parts.join(", ")} (${versions})`;
}
