import { err, ok } from "../../../contracts/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { openOpsBucket, OPS_ARGS } from "./ops-options.ts";
import { renderOperations } from "./ops-render.ts";
import { listOperations } from "./ops-store.ts";

const STATES = ["pending", "running", "completed", "failed", "cancelled"];

export default trellisCommand({
  name: "list",
  description: "List a service's operations, newest first: ID OPERATION STATE REVISION UPDATED OWNER",
  args: {
    ...OPS_ARGS,
    state: { type: "string", description: "Only this state (pending, running, completed, failed, cancelled)" },
  },
  run: async (args) => {
    if (args.state !== undefined && !STATES.includes(args.state)) {
      return err(usageFailure(`--state must be one of ${STATES.join(", ")}, got '${args.state}'`));
    }
    const opened = await openOpsBucket(args);
    if (opened.isErr()) return err(opened.error);
    try {
      const listed = (await listOperations(opened.value.kv)).filter(
        (op) => args.state === undefined || op.snapshot.state === args.state,
      );
      if (args.json) writeJson({ entries: listed.map(({ snapshot, owner }) => ({ ...snapshot, owner })) });
      else writeResult(renderOperations(listed));
      return ok(ExitCode.ok);
    } finally {
      await opened.value.close();
    }
  },
});
