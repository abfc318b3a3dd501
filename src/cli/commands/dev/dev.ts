import { err, ok } from "../../../contracts/index.ts";
import { createLogger, levelFromEnv } from "../../../runtime/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { DEFAULT_DEV_DIR } from "../../dev/dev-dir.ts";
import { startDevStack } from "../../dev/dev-stack.ts";

const port = (value: string | undefined, fallback: number, flag: string): number | string => {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : `--${flag}: not a port: ${value}`;
};

/** `trellis dev` (tooling.md §3.5): a whole local stack in one process, until SIGINT/SIGTERM. */
export default trellisCommand({
  name: "dev",
  description: "Run a local stack: bundle (created if needed), nats-server, infra, the control plane; until SIGTERM",
  args: {
    dir: { type: "string", description: `Dev directory (default ${DEFAULT_DEV_DIR})` },
    reset: { type: "boolean", description: "Delete the dev directory first and start from a fresh bundle" },
    "nats-port": { type: "string", description: "NATS port of a new bundle (default 4222)" },
    "monitor-port": { type: "string", description: "NATS monitoring port of a new bundle (default 8222)" },
    "trellis-port": { type: "string", description: "Bootstrap endpoint port of a new bundle (default 3000)" },
    json: { type: "boolean", description: "Print the stack's addresses as JSON once it is up" },
  },
  run: async (args) => {
    const ports = {
      nats: port(args["nats-port"], 4222, "nats-port"),
      monitor: port(args["monitor-port"], 8222, "monitor-port"),
      trellis: port(args["trellis-port"], 3000, "trellis-port"),
    };
    for (const value of Object.values(ports)) if (typeof value === "string") return err(usageFailure(value));
    const logger = createLogger({ level: levelFromEnv(process.env.TRELLIS_LOG ?? process.env.PINO_LEVEL) });
    const started = await startDevStack({
      dir: args.dir ?? DEFAULT_DEV_DIR,
      reset: args.reset === true,
      ports: ports as { nats: number; monitor: number; trellis: number },
      logger,
    });
    if (started.isErr()) {
      return err({ exit: ExitCode.transport, code: "dev_start", message: started.error });
    }
    const stack = started.value;
    const { dev } = stack;
    const summary = {
      dir: dev.dir,
      created: stack.created,
      trellisUrl: dev.marker.trellisUrl,
      natsUrl: dev.marker.natsUrl,
      natsServer: stack.natsVersion,
      configDir: dev.adminDir,
    };
    if (args.json) writeJson(summary);
    else {
      writeResult(
        [
          `ok dev stack running dir=${dev.dir}${stack.created ? " (new bundle)" : ""}`,
          `nats=${dev.marker.natsUrl} (nats-server ${stack.natsVersion}) bootstrap=${dev.marker.trellisUrl}`,
          `admin session: export TRELLIS_CONFIG_DIR=${dev.adminDir}`,
          `next: trellis run main.ts --watch   (Ctrl-C stops the stack)`,
        ].join("\n"),
      );
    }
    const outcome = await new Promise<"signal" | "nats_exited">((resolve) => {
      // nats-server dying under the stack ends it, rather than leaving a control plane retrying forever.
      const watch = setInterval(() => {
        if (!stack.nats.running) finish("nats_exited");
      }, 1000);
      const finish = (why: "signal" | "nats_exited") => {
        clearInterval(watch);
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
        resolve(why);
      };
      const onSignal = () => finish("signal");
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
    });
    await stack.stop();
    if (outcome === "nats_exited") {
      return err({
        exit: ExitCode.transport,
        code: "dev_nats_exited",
        message: `nats-server exited: ${stack.nats.logTail(500)}`,
      });
    }
    return ok(ExitCode.ok);
  },
});
