import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { renderNatsConfig, type NatsServerConfig } from "./nats-config.ts";

// node:child_process, not Bun.spawn: the same launcher runs the runtime's test suite on Node.js.

/** A child process and the moment it is gone (exited, or never started). */
type Child = { process: ChildProcess; exited: Promise<void>; spawnError?: Error };

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A crashed test must not leave servers behind: kill whatever is still running. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

export type StartOptions = {
  binary: string;
  workDir: string;
  readyTimeoutMs?: number;
  /**
   * Run this existing config file (from `cwd`, which its relative paths are
   * taken from) instead of rendering one; `config` then only tells the
   * launcher the ports and name it listens on.
   */
  configFile?: { path: string; cwd: string };
};

/**
 * One nats-server child process on loopback. Readiness is the monitoring
 * endpoint's `/healthz`, which also waits for JetStream (and, in a cluster,
 * for the meta leader).
 */
export class NatsServerProcess {
  #child: Child | undefined;
  readonly configPath: string;
  /** nats-server logs to stderr; it goes to a file so a full pipe can never stall the server. */
  readonly logPath: string;

  private constructor(
    readonly config: NatsServerConfig,
    private readonly options: StartOptions,
  ) {
    this.configPath = options.configFile?.path ?? join(options.workDir, `${config.serverName}.conf`);
    this.logPath = join(options.workDir, `${config.serverName}.log`);
  }

  static async start(config: NatsServerConfig, options: StartOptions): Promise<NatsServerProcess> {
    const server = new NatsServerProcess(config, options);
    await server.launch();
    return server;
  }

  /** Starts the process without waiting for health (cluster nodes need their peers first). */
  static spawn(config: NatsServerConfig, options: StartOptions): NatsServerProcess {
    const server = new NatsServerProcess(config, options);
    server.spawnChild();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.config.port}`;
  }

  get running(): boolean {
    const child = this.#child;
    return (
      child !== undefined &&
      child.spawnError === undefined &&
      child.process.exitCode === null &&
      child.process.signalCode === null
    );
  }

  get pid(): number | undefined {
    return this.#child?.process.pid;
  }

  private spawnChild(): void {
    if (this.options.configFile === undefined) writeFileSync(this.configPath, renderNatsConfig(this.config));
    installExitHook();
    const log = openSync(this.logPath, "a");
    try {
      const proc = spawn(this.options.binary, ["-c", this.configPath], {
        ...(this.options.configFile === undefined ? {} : { cwd: this.options.configFile.cwd }),
        stdio: ["ignore", "ignore", log],
      });
      const child: Child = {
        process: proc,
        // "exit" may not follow an "error" (a binary that cannot be started), so either ends it.
        exited: new Promise((resolve) => {
          proc.once("exit", () => resolve());
          proc.once("error", (error) => {
            child.spawnError = error;
            resolve();
          });
        }),
      };
      live.add(proc);
      void child.exited.then(() => live.delete(proc));
      this.#child = child;
    } finally {
      closeSync(log); // the child holds its own copy
    }
  }

  private async launch(): Promise<void> {
    this.spawnChild();
    await this.waitReady();
  }

  async waitReady(): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 20_000);
    const health = `http://127.0.0.1:${this.config.monitorPort}/healthz`;
    while (Date.now() < deadline) {
      const spawnError = this.#child?.spawnError;
      if (spawnError !== undefined)
        throw new Error(`nats-server ${this.config.serverName} did not start: ${spawnError.message}`);
      if (!this.running) throw new Error(`nats-server ${this.config.serverName} exited early: ${this.logTail()}`);
      try {
        const response = await fetch(health, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`nats-server ${this.config.serverName} not healthy within the timeout: ${this.logTail()}`);
  }

  /** The end of the server's log, for error messages. */
  logTail(chars = 2000): string {
    return existsSync(this.logPath) ? readFileSync(this.logPath, "utf8").trim().slice(-chars) : "(no log)";
  }

  /** Graceful stop: SIGTERM, then SIGKILL if it lingers. */
  async stop(timeoutMs = 5000): Promise<void> {
    const child = this.#child;
    if (child === undefined || !this.running) return;
    child.process.kill("SIGTERM");
    const linger = new AbortController();
    const exited = await Promise.race([
      child.exited.then(() => true),
      sleep(timeoutMs, false, { signal: linger.signal }).catch(() => false),
    ]);
    linger.abort(); // the timer must not keep the process alive once the server is gone
    if (!exited) {
      child.process.kill("SIGKILL");
      await child.exited;
    }
  }

  /** Simulates a crash. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined || !this.running) return;
    child.process.kill("SIGKILL");
    await child.exited;
  }

  /** Stops and starts again on the same ports and store directory. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }
}
