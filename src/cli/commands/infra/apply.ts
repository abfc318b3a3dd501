import { err, ok } from "../../../contracts/index.ts";
import { applyInfra } from "../../../server/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { closeInfra, connectInfra, INFRA_ARGS, infraTarget } from "./infra-options.ts";
import { renderInfraReport } from "./render-report.ts";

export default trellisCommand({
  name: "apply",
  description: "Create the events stream and the platform KV buckets; fix what can be fixed in place",
  args: INFRA_ARGS,
  run: async (args) => {
    const target = infraTarget(args);
    if (target.isErr()) return err(target.error);
    const connections = await connectInfra(target.value);
    try {
      const reports = await applyInfra(connections, { replicas: target.value.replicas ?? 1 });
      if (args.json) writeJson({ results: reports });
      else writeResult(renderInfraReport(reports));
      if (reports.some((r) => r.status === "unavailable")) return ok(ExitCode.transport);
      if (reports.some((r) => r.status === "drifted")) return ok(ExitCode.staleOrNotReady);
      return ok(ExitCode.ok);
    } finally {
      await closeInfra(connections);
    }
  },
});
