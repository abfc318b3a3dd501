import { err, jobsContract, ok } from "../../../contracts/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { withSession } from "../svc/with-session.ts";
import { renderJob } from "./jobs-render.ts";

export default trellisCommand({
  name: "get",
  description: "Show one job: record, progress, error, context ids (Jobs.Get; exit 6 if unknown)",
  args: {
    id: { type: "positional", description: "The job id", required: true },
    json: { type: "boolean", description: "Print JSON ({job})" },
  },
  run: (args) =>
    withSession(async ({ client }) => {
      const got = await client.call(jobsContract().API.owned.rpc["Jobs.Get"], { id: args.id });
      if (got.isErr()) return err(callFailure(got.error));
      if (args.json) writeJson(got.value);
      else writeResult(renderJob(got.value.job));
      return ok(ExitCode.ok);
    }),
});
