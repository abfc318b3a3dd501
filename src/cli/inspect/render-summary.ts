import type { PermissionRule } from "../../contracts/index.ts";
import { renderTable } from "../app/output.ts";
import type { ContractSummary } from "./contract-summary.ts";
import type { DerivedPermissions } from "./derive-permissions.ts";

const capabilityText = (capabilities: Record<string, string[]>) =>
  Object.entries(capabilities)
    .map(([action, list]) => `${action}: ${list.length === 0 ? "(authenticated)" : list.join(" ")}`)
    .join("; ") || "-";

const ruleRow = (rule: PermissionRule) => [
  rule.dir,
  rule.subject,
  rule.requiredCaps.length === 0 ? "-" : rule.requiredCaps.join(" "),
  `${rule.surface.action} ${rule.surface.kind} ${rule.surface.name} (${rule.surface.contractId})`,
];

export function renderPermissions(permissions: DerivedPermissions): string {
  if (!permissions.ok) {
    return [
      "permissions: cannot be derived",
      ...permissions.issues.map((issue) => `  ${issue.path}: ${issue.message}`),
    ].join("\n");
  }
  const lines = [
    "permissions (every session also subscribes _INBOX.<first 16 chars of its session key>.>):",
    renderTable(["DIR", "SUBJECT", "REQUIRES", "SURFACE"], permissions.rules.map(ruleRow)),
  ];
  for (const skipped of permissions.skippedAliases) {
    lines.push(`note: optional alias '${skipped.alias}' grants nothing: ${skipped.contractId} is not active`);
  }
  return lines.join("\n");
}

export function renderSummary(summary: ContractSummary, permissions: DerivedPermissions): string {
  const sections = [
    [
      `id:          ${summary.id}`,
      `kind:        ${summary.kind}`,
      `name:        ${summary.displayName}`,
      `description: ${summary.description}`,
      `digest:      ${summary.digest}`,
    ].join("\n"),
    summary.surfaces.length === 0
      ? "surfaces: none"
      : renderTable(
          ["KIND", "NAME", "SUBJECT", "CAPABILITIES"],
          summary.surfaces.map((surface) => [
            surface.kind,
            surface.name,
            surface.subject,
            capabilityText(surface.capabilities),
          ]),
        ),
  ];
  if (summary.uses.length > 0) {
    sections.push(
      renderTable(
        ["USES", "GROUP", "CONTRACT", "SURFACES"],
        summary.uses.map((use) => [use.alias, use.group, use.contract, use.surfaces.join(", ") || "-"]),
      ),
    );
  }
  if (summary.resources.length > 0) {
    sections.push(
      renderTable(
        ["RESOURCE", "NAME"],
        summary.resources.map((resource) => [resource.kind, resource.name]),
      ),
    );
  }
  sections.push(renderPermissions(permissions));
  return sections.join("\n\n");
}
