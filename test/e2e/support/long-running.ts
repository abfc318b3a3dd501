import { spawn, type ChildProcess } from "node:child_process";

/**
 * A long-running CLI child (`trellis dev`, `trellis run`) whose output the
 * test waits on line by line; `stop()` sends SIGTERM and returns the exit code.
 */
export class LongRunning {
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  readonly exited: Promise<number>;

  constructor(command: string[], options: { cwd: string; env?: Record<string, string> }) {
    this.#child = spawn(command[0]!, command.slice(1), {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [this.#child.stdout!, this.#child.stderr!]) {
      let partial = "";
      stream.on("data", (chunk: Buffer) => {
        const text = partial + chunk.toString();
        const lines = text.split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) this.#line(line);
      });
    }
    this.exited = new Promise((resolve) => this.#child.once("exit", (code) => resolve(code ?? 1)));
  }

  /** Everything printed so far (stdout and stderr), one entry per line. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** The first line (already printed or still to come) matching `pattern`, counting from `from`. */
  waitFor(pattern: RegExp, from = 0): Promise<string> {
    const seen = this.#lines.slice(from).find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ pattern, resolve });
      void this.exited.then((code) =>
        reject(new Error(`exited ${code} before /${pattern.source}/:\n${this.#lines.join("\n")}`)),
      );
    });
  }

  async stop(): Promise<number> {
    if (this.#child.exitCode === null) this.#child.kill("SIGTERM");
    return this.exited;
  }

  #line(line: string): void {
    this.#lines.push(line);
    for (const waiter of [...this.#waiters]) {
      if (!waiter.pattern.test(line)) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  }
}
