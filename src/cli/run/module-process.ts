import { spawn, type ChildProcess } from "node:child_process";
import { selfCommand } from "../app/self-command.ts";
import { EMBED_ENV } from "../embed/embedded-task.ts";

export type ModuleEnv = { trellisUrl: string; seed: string };

/**
 * The user's module in a child of this same binary acting as an embedding
 * host (`embed/embedded-task.ts`): `@trellis/runtime` resolves to the
 * binary's runtime, so nothing needs installing. The session-key seed goes
 * through the environment only (`TRELLIS_SESSION_KEY_SEED`), never argv,
 * which other users on the machine can read.
 */
export class ModuleProcess {
  readonly #child: ChildProcess;
  readonly exited: Promise<number>;

  constructor(modulePath: string, args: readonly string[], env: ModuleEnv) {
    const [command, ...prefix] = selfCommand();
    this.#child = spawn(command!, prefix, {
      stdio: "inherit",
      env: {
        ...process.env,
        [EMBED_ENV.task]: "run",
        [EMBED_ENV.module]: modulePath,
        [EMBED_ENV.args]: JSON.stringify(args),
        TRELLIS_URL: env.trellisUrl,
        TRELLIS_SESSION_KEY_SEED: env.seed,
      },
    });
    this.exited = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 130 : 1)));
      this.#child.once("error", () => resolve(1));
    });
  }

  /** SIGTERM (the module's entrypoint stops its service and exits 0), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<number> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }
}
