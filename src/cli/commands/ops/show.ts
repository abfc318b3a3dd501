import { err, ok } from "../../../contracts/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { openOpsBucket, OPS_ARGS } from "./ops-options.ts";
import { renderSnapshot } from "./ops-render.ts";
import { readOperation } from "./ops-store.ts";

export default trellisCommand({
  name: "show",
  description: "Print one operation's snapshot (read rule 4 of operations.md §4); exit 6 if unknown",
  args: { ...OPS_ARGS, id: { type: "positional", description: "The operation id", required: true } },
  run: async (args) => {
    const opened = await openOpsBucket(args);
    if (opened.isErr()) return err(opened.error);
    try {
      const read = await readOperation(opened.value.kv, args.id);
      if (read === undefined) {
        return err({
          exit: ExitCode.notFound,
          code: "not_found",
          message: `operation ${args.id}: not in ${opened.value.bucket}`,
        });
      }
      if (args.json) writeJson({ snapshot: read.snapshot, owner: read.record.owner.principal });
      else writeResult(renderSnapshot(read.snapshot, read.record.owner.principal));
      return ok(ExitCode.ok);
    } finally {
      await opened.value.close();
    }
  },
});
