/**
 * The work a server has accepted and not finished. Draining waits for it, so
 * a stop lets every accepted request reply (runtime-wire.md §7.4).
 */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  get size(): number {
    return this.#pending.size;
  }

  /** Tracks a piece of work; its rejection is swallowed here (work reports its own failures). */
  track(work: Promise<unknown>): void {
    const tracked: Promise<unknown> = work.then(
      () => this.#pending.delete(tracked),
      () => this.#pending.delete(tracked),
    );
    this.#pending.add(tracked);
  }

  /** Resolves once nothing is in flight, including work that started while waiting. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
