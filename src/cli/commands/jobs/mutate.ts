import { err, jobsContract, ok } from "../../../contracts/index.ts";
import { usageFailure, type CliFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeFailure, writeJson, writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { withSession } from "../svc/with-session.ts";
import { jobIds } from "./jobs-options.ts";

type Method = "Jobs.Cancel" | "Jobs.Retry" | "Jobs.ReplayDLQ" | "Jobs.DismissDLQ";

/**
 * A mutation over one or more ids (tooling.md §3.3): a result per id, in
 * order; the first failure sets the exit status. With `--json`:
 * `{results: [{id, job} | {id, error: {type, message}}]}`.
 */
export function mutationCommand(spec: {
  name: string;
  method: Method;
  verb: string;
  description: string;
  confirm?: boolean;
}) {
  return trellisCommand({
    name: spec.name,
    description: spec.description,
    args: {
      id: { type: "positional", description: "Job ids (or - to read them from stdin)", required: true },
      ...(spec.confirm === true
        ? { yes: { type: "boolean", alias: "y", description: "Confirm (there are no prompts)" } }
        : {}),
      json: { type: "boolean", description: "Print JSON" },
    } as const,
    run: async (args) => {
      if (spec.confirm === true && (args as { yes?: boolean }).yes !== true) {
        return err(usageFailure(`${spec.name} cannot be undone`, "run again with --yes"));
      }
      const ids = await jobIds(args._);
      if (ids.isErr()) return err(ids.error);
      return withSession(async ({ client }) => {
        const results = [];
        let first: CliFailure | undefined;
        for (const id of ids.value) {
          const done = await client.call(jobsContract().API.owned.rpc[spec.method], { id });
          if (done.isErr()) {
            const failure = callFailure(done.error);
            first ??= failure;
            results.push({ id, error: { type: done.error.type, message: done.error.message } });
            if (!args.json) writeFailure(failure, false);
          } else {
            results.push({ id, job: done.value.job });
            if (!args.json) writeResult(`ok ${spec.verb} id=${id} state=${done.value.job.state}`);
          }
        }
        if (args.json) writeJson({ results });
        // Printed per id already; the exit status is the first failure's.
        return first === undefined ? ok(ExitCode.ok) : ok(first.exit);
      });
    },
  });
}

export const cancelCommand = mutationCommand({
  name: "cancel",
  method: "Jobs.Cancel",
  verb: "cancel requested",
  description: "Cancel pending, retry or active jobs (cooperative; Jobs.Cancel)",
});
export const retryCommand = mutationCommand({
  name: "retry",
  method: "Jobs.Retry",
  verb: "retried",
  description: "Run failed jobs again, same id (Jobs.Retry)",
});
export const replayCommand = mutationCommand({
  name: "replay",
  method: "Jobs.ReplayDLQ",
  verb: "replayed",
  description: "Run dead jobs again, same id (Jobs.ReplayDLQ)",
});
export const dismissCommand = mutationCommand({
  name: "dismiss",
  method: "Jobs.DismissDLQ",
  verb: "dismissed",
  description: "Dismiss dead jobs for good (Jobs.DismissDLQ; needs --yes)",
  confirm: true,
});
