import type { InfraReport } from "../../../server/index.ts";
import { renderTable } from "../../app/output.ts";

export function renderInfraReport(reports: readonly InfraReport<string>[]): string {
  return renderTable(
    ["KIND", "NAME", "ACCOUNT", "STATUS", "DETAIL"],
    reports.map((report) => [
      report.kind,
      report.name,
      report.account,
      report.status,
      report.error ?? report.drift.map((d) => `${d.field}: ${d.actual} (want ${d.expected})`).join("; "),
    ]),
  );
}
