import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { err, ok } from "../../../contracts/index.ts";
import { usageFailure, type CliFailure } from "../../app/cli-failure.ts";
import { listFlag, trellisCommand } from "../../app/command.ts";
import { ExitCode, type ExitStatus } from "../../app/exit-codes.ts";
import { log } from "../../app/output.ts";
import { DEFAULT_DEV_DIR, readDevDir, type DevDir } from "../../dev/dev-dir.ts";
import { deployForDev, type Deployed } from "../../run/deploy-dev.ts";
import { ModuleProcess } from "../../run/module-process.ts";
import { prepareModule } from "../../run/prepare.ts";
import { watchProject } from "../../run/watch-project.ts";
import { openCliSession } from "../../session/open-session.ts";

const failure = (code: string, message: string, exit: ExitStatus = ExitCode.transport): CliFailure => ({
  exit,
  code,
  message,
});

/** The default deployment name: the contract id without its version, dots as dashes (`acme.orders@v1` → `acme-orders`). */
export const deploymentNameOf = (contractId: string) =>
  contractId
    .replace(/@v\d+$/, "")
    .replace(/[^a-z0-9-]+/gi, "-")
    .toLowerCase();

/**
 * `trellis run <module>` (tooling.md §3.5) against a `trellis dev` stack:
 * prepare (generate), deploy (create, approve, provision), then the module
 * with `TRELLIS_URL` and `TRELLIS_SESSION_KEY_SEED` and the runtime embedded;
 * `--watch` does it all again on every change.
 */
export default trellisCommand({
  name: "run",
  description:
    "Run a service module on a dev stack: generate, approve, provision, then run it with the runtime embedded",
  args: {
    module: { type: "positional", required: true, description: "The service's entrypoint (main.ts)" },
    name: { type: "string", description: "Deployment name and seed file (default: from the contract id)" },
    contract: { type: "string", description: "Which service contract of the project (when it has several)" },
    dir: { type: "string", description: `The dev directory (default ${DEFAULT_DEV_DIR})` },
    capability: { type: "string", description: "A capability to grant the deployment (repeatable)" },
    watch: { type: "boolean", description: "Restart the module when a file of its project changes" },
  },
  run: async (args, { rawArgs }) => {
    const modulePath = resolve(String(args.module));
    if (!existsSync(modulePath)) return err(usageFailure(`no such module: ${modulePath}`));
    const dashes = rawArgs.indexOf("--");
    const moduleArgs = dashes === -1 ? [] : rawArgs.slice(dashes + 1);
    const dev = readDevDir(args.dir ?? DEFAULT_DEV_DIR);
    if (dev.isErr())
      return err(usageFailure(dev.error, "trellis run needs a trellis dev stack (run `trellis dev` first)"));
    const capabilities = listFlag(dashes === -1 ? rawArgs : rawArgs.slice(0, dashes), "capability");

    const startOnce = () => prepareAndStart(modulePath, moduleArgs, dev.value, args.name, args.contract, capabilities);
    const first = await startOnce();
    if (first.isErr() && args.watch !== true) return err(first.error);
    if (first.isErr()) log.error(first.error.message);
    let running = first.isOk() ? first.value : undefined;

    const stopped = new Promise<number>((resolveStopped) => {
      let restarting = Promise.resolve();
      const watcher =
        args.watch === true
          ? watchProject(running?.projectDir ?? resolve(modulePath, ".."), (paths) => {
              restarting = restarting.then(async () => {
                log.info(`change: ${paths.slice(0, 8).join(", ")}; restarting`);
                await running?.process.stop();
                const next = await startOnce();
                if (next.isErr()) log.error(`${next.error.message} (waiting for the next change)`);
                running = next.isOk() ? next.value : undefined;
                if (running !== undefined) void whenExited(running);
              });
            })
          : undefined;
      // Without --watch the module's exit is ours; with it, a crash waits for the next change.
      const whenExited = async (current: NonNullable<typeof running>) => {
        const code = await current.process.exited;
        if (args.watch !== true) finish(code);
        else if (running === current) log.warn(`module exited with ${code}; waiting for a change`);
      };
      const onSignal = () => {
        // The module gets SIGTERM (even for Ctrl-C, whose SIGINT it may have had from the terminal
        // already): it stops its service and exits; then so do we.
        running?.process.signal("SIGTERM");
        if (args.watch === true) void (running?.process.exited ?? Promise.resolve(0)).then((code) => finish(code));
      };
      const onTerm = () => onSignal();
      const onInt = () => onSignal();
      const finish = (code: number) => {
        watcher?.close();
        process.off("SIGTERM", onTerm);
        process.off("SIGINT", onInt);
        resolveStopped(code);
      };
      process.on("SIGTERM", onTerm);
      process.on("SIGINT", onInt);
      if (running !== undefined) void whenExited(running);
    });
    const code = await stopped;
    return ok(code === 0 ? ExitCode.ok : code === 130 ? ExitCode.interrupted : ExitCode.unexpected);
  },
});

type Started = { projectDir: string; deployed: Deployed; process: ModuleProcess };

async function prepareAndStart(
  modulePath: string,
  moduleArgs: readonly string[],
  dev: DevDir,
  name: string | undefined,
  contractId: string | undefined,
  capabilities: string[],
) {
  const prepared = await prepareModule(modulePath, contractId);
  if (prepared.isErr()) return err(failure("run_prepare", prepared.error, ExitCode.invalidContract));
  const deploymentName = name ?? deploymentNameOf(prepared.value.contractId);
  // The dev admin session (tooling.md §3.5: `dev` leaves it in the directory).
  process.env.TRELLIS_CONFIG_DIR = dev.adminDir;
  // A long-running command: it keeps the patient connect of before (design/cli.md "Session timeouts").
  const session = await openCliSession({ patience: "long-running" });
  if (session.isErr()) return err(session.error);
  let deployed;
  try {
    deployed = await deployForDev(session.value.client, {
      name: deploymentName,
      manifest: prepared.value.manifest,
      seedsDir: dev.seedsDir,
      capabilities,
    });
  } finally {
    await session.value.close();
  }
  if (deployed.isErr()) return err(failure("run_deploy", deployed.error));
  log.info(
    `${prepared.value.contractId} digest=${prepared.value.digest} deployment=${deploymentName} approval=${deployed.value.change} instance=${deployed.value.instanceId} seed=${deployed.value.seedFile}`,
  );
  const process_ = new ModuleProcess(modulePath, moduleArgs, {
    trellisUrl: dev.marker.trellisUrl,
    seed: deployed.value.keys.exportSeed(),
  });
  return ok<Started>({ projectDir: prepared.value.projectDir, deployed: deployed.value, process: process_ });
}
