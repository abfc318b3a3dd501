import { commandGroup, trellisCommand } from "../../app/command.ts";
import { listArgs, runList } from "./list.ts";
import { dismissCommand, replayCommand } from "./mutate.ts";

export default commandGroup("dlq", "Dead jobs: list, replay, dismiss", {
  list: () =>
    Promise.resolve(
      trellisCommand({
        name: "list",
        description: "List dead jobs (Jobs.ListDLQ)",
        args: listArgs,
        run: (args, { rawArgs }) => runList(args, rawArgs, true),
      }),
    ),
  replay: () => Promise.resolve(replayCommand),
  dismiss: () => Promise.resolve(dismissCommand),
});
