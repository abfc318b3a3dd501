import { err, ok, type OperationAlreadyTerminalError, type Result } from "../../contracts/index.ts";
import type { StoredSignal } from "./operation-wire.ts";

/**
 * The accepted signals of one operation as its handler sees them (§7
 * `signals()` / `nextSignal()`): every signal in sequence order, kept for
 * the handle's life so each reader has its own cursor, and the end once the
 * operation is terminal (then readers get OperationAlreadyTerminalError
 * after the signals they have not read yet).
 */
export class SignalLog {
  readonly #signals: StoredSignal[] = [];
  readonly #waiters = new Set<() => void>();
  #terminal: OperationAlreadyTerminalError | undefined;

  push(signal: StoredSignal): void {
    const last = this.#signals.at(-1);
    if (last !== undefined && signal.sequence <= last.sequence) return;
    this.#signals.push(signal);
    this.#wake();
  }

  end(error: OperationAlreadyTerminalError): void {
    this.#terminal ??= error;
    this.#wake();
  }

  /** The first signal after `cursor` (named `name`, when given); waits for one, or for the end. */
  async next(cursor: number, name?: string): Promise<Result<StoredSignal, OperationAlreadyTerminalError>> {
    for (;;) {
      const found = this.#signals.find((s) => s.sequence > cursor && (name === undefined || s.signal === name));
      if (found !== undefined) return ok(found);
      if (this.#terminal !== undefined) return err(this.#terminal);
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}
