import { err, jobsContract, ok } from "../../../contracts/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { renderTable, writeJson, writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { withSession } from "../svc/with-session.ts";

export default trellisCommand({
  name: "health",
  description: "The jobs admin runtime's health (Jobs.Health; exit 4 unless healthy)",
  args: { json: { type: "boolean", description: "Print JSON (the health report)" } },
  run: (args) =>
    withSession(async ({ client }) => {
      const report = await client.call(jobsContract().API.owned.rpc["Jobs.Health"], {});
      if (report.isErr()) return err(callFailure(report.error));
      const { status, checks } = report.value;
      if (args.json) writeJson(report.value);
      else {
        writeResult(`status: ${status}`);
        writeResult(
          renderTable(
            ["CHECK", "STATUS", "LATENCY", "ERROR"],
            checks.map((c) => [c.name, c.status, `${c.latencyMs}ms`, c.error ?? ""]),
          ),
        );
      }
      return ok(status === "healthy" ? ExitCode.ok : ExitCode.staleOrNotReady);
    }),
});
