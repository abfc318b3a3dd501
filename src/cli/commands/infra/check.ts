import { err, ok } from "../../../contracts/index.ts";
import { checkInfra } from "../../../server/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { closeInfra, connectInfra, INFRA_ARGS, infraTarget } from "./infra-options.ts";
import { renderInfraReport } from "./render-report.ts";

export default trellisCommand({
  name: "check",
  description: "Report every stream and bucket as ready, missing, drifted or unavailable; exit 4 unless all are ready",
  args: INFRA_ARGS,
  run: async (args) => {
    const target = infraTarget(args);
    if (target.isErr()) return err(target.error);
    const connections = await connectInfra(target.value);
    try {
      const reports = await checkInfra(
        connections,
        target.value.replicas === undefined ? {} : { replicas: target.value.replicas },
      );
      const ready = reports.every((r) => r.status === "ready");
      if (args.json) writeJson({ ready, results: reports });
      else writeResult(renderInfraReport(reports));
      return ok(ready ? ExitCode.ok : ExitCode.staleOrNotReady);
    } finally {
      await closeInfra(connections);
    }
  },
});
