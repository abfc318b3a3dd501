import { KvWatchInclude } from "@nats-io/kv";
import { err, ok } from "../../../contracts/index.ts";
import { StoredOperationEventSchema } from "../../../runtime/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeResult } from "../../app/output.ts";
import { openOpsBucket, OPS_ARGS } from "./ops-options.ts";
import { renderEvent } from "./ops-render.ts";
import { decodeStored, readOperation } from "./ops-store.ts";

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

/**
 * `trellis ops tail --service <ns> <id>` (tooling.md §3.4): every public
 * event of the operation in order (an ordered consumer on `evt.<id>.>`),
 * one line each (`--json`: one JSON line); exits 0 when it completes, 7 when
 * it fails or is cancelled; 0 on SIGINT/SIGTERM.
 */
export default trellisCommand({
  name: "tail",
  description: "Follow one operation's events; exit 0 when it completes, 7 when it fails or is cancelled",
  args: { ...OPS_ARGS, id: { type: "positional", description: "The operation id", required: true } },
  run: async (args) => {
    const opened = await openOpsBucket(args);
    if (opened.isErr()) return err(opened.error);
    const { kv, bucket } = opened.value;
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      if ((await readOperation(kv, args.id)) === undefined) {
        return err({ exit: ExitCode.notFound, code: "not_found", message: `operation ${args.id}: not in ${bucket}` });
      }
      const watch = await kv.watch({ key: `evt.${args.id}.>`, include: KvWatchInclude.AllHistory });
      stop.signal.addEventListener("abort", () => watch.stop(), { once: true });
      for await (const entry of watch) {
        if (entry.operation !== "PUT") continue;
        const stored = decodeStored(StoredOperationEventSchema, entry.value);
        if (stored === undefined) continue;
        writeResult(args.json ? JSON.stringify(stored) : renderEvent(stored));
        const state = stored.event.snapshot.state;
        if (TERMINAL.has(state)) return ok(state === "completed" ? ExitCode.ok : ExitCode.notCompleted);
      }
      return ok(ExitCode.ok);
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await opened.value.close();
    }
  },
});
