import { err, ok } from "../../../contracts/index.ts";
import { createLogger, levelFromEnv } from "../../../runtime/index.ts";
import { ControlPlane, loadServerConfig } from "../../../server/index.ts";
import { usageFailure, type CliFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";

const EXIT_OF = { config: ExitCode.usage, connection: ExitCode.transport, infra: ExitCode.staleOrNotReady } as const;

export default trellisCommand({
  name: "server",
  description: "Run the control plane: auth callout, Validate, approvals, admin RPCs, bootstrap (until SIGTERM)",
  args: {
    config: { type: "string", description: "Control-plane config file (default TRELLIS_CONFIG)" },
    jobs: {
      type: "string",
      description: "Jobs admin runtime: owner | rpc-only | off (default: the config's jobs.mode)",
    },
  },
  run: async (args) => {
    const path = args.config ?? process.env.TRELLIS_CONFIG;
    if (path === undefined) return err(usageFailure("needs --config <file> or TRELLIS_CONFIG"));
    const config = loadServerConfig(path);
    if (config.isErr()) {
      return err({ ...usageFailure(config.error.message), issues: config.error.issues } satisfies CliFailure);
    }
    const mode = args.jobs;
    if (mode !== undefined && mode !== "owner" && mode !== "rpc-only" && mode !== "off") {
      return err(usageFailure(`--jobs must be owner, rpc-only or off, got '${mode}'`));
    }
    if (mode !== undefined) config.value.jobs.mode = mode;
    // JSON lines on stderr; the logger redacts seed, token, proof and signature fields by name.
    const logger = createLogger({ level: levelFromEnv(process.env.TRELLIS_LOG ?? process.env.PINO_LEVEL) });
    const started = await ControlPlane.start(config.value, { logger });
    if (started.isErr()) {
      return err({
        exit: EXIT_OF[started.error.kind],
        code: `server_${started.error.kind}`,
        message: started.error.message,
      });
    }
    const plane = started.value;
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGTERM", stop);
        process.off("SIGINT", stop);
        void plane.stop().then(resolve);
      };
      process.on("SIGTERM", stop);
      process.on("SIGINT", stop);
    });
    return ok(ExitCode.ok);
  },
});
