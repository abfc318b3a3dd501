import { err, jobsContract, ok, type Result } from "../../../contracts/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { renderTable, writeJson, writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { withSession } from "../svc/with-session.ts";
import { parseToken } from "./jobs-options.ts";

type Summary = {
  name: string;
  healthy: boolean;
  workers: { jobType: string; instanceId: string; timestamp: string }[];
};

export default trellisCommand({
  name: "services",
  description: "Services with jobs or workers: health, fresh workers, last heartbeat (Jobs.ListServices)",
  args: {
    service: { type: "string", description: "Only this service" },
    json: { type: "boolean", description: "Print JSON ({entries, count})" },
  },
  run: async (args) => {
    const only = parseToken("service", args.service);
    if (only.isErr()) return err(only.error);
    return withSession(async ({ client }) => {
      const entries: Summary[] = [];
      const fetchPage = async (
        offset: number,
      ): Promise<Result<{ entries: Summary[]; nextOffset?: number }, CliFailure>> => {
        const page = await client.call(jobsContract().API.owned.rpc["Jobs.ListServices"], { offset, limit: 100 });
        return page.isErr() ? err(callFailure(page.error)) : ok(page.value);
      };
      for (let offset: number | undefined = 0; offset !== undefined;) {
        const page = await fetchPage(offset);
        if (page.isErr()) return err(page.error);
        entries.push(...page.value.entries);
        offset = page.value.nextOffset;
      }
      const shown = only.value === undefined ? entries : entries.filter((entry) => entry.name === only.value);
      if (args.json) writeJson({ entries: shown, count: shown.length });
      else {
        writeResult(
          renderTable(
            ["SERVICE", "HEALTHY", "WORKERS", "LAST HEARTBEAT"],
            shown.map((entry) => [
              entry.name,
              entry.healthy ? "healthy" : "unhealthy",
              entry.workers.map((w) => `${w.jobType}/${w.instanceId}`).join(",") || "-",
              entry.workers
                .map((w) => w.timestamp)
                .sort()
                .at(-1) ?? "-",
            ]),
          ),
        );
      }
      return ok(ExitCode.ok);
    });
  },
});
