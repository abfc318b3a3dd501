import type { Msg } from "@nats-io/nats-core";

/** Frames and the end of a feed, in arrival order. */
export type Frame = { msg: Msg } | { end: "closed" | "aborted" };

/** Frames pushed by the subscription callback, taken in order by the iterator. */
export class FrameQueue {
  readonly #frames: Frame[] = [];
  #wake: (() => void) | undefined;
  #ended = false;

  push(frame: Frame): void {
    if (this.#ended) return;
    this.#frames.push(frame);
    this.#wake?.();
  }

  unshift(frame: Frame): void {
    this.#frames.unshift(frame);
  }

  end(reason: "closed" | "aborted"): void {
    if (this.#ended) return;
    this.#frames.push({ end: reason });
    this.#ended = true;
    this.#wake?.();
  }

  /** The next frame; undefined after `timeoutMs` without one. */
  async next(timeoutMs?: number): Promise<Frame | undefined> {
    while (this.#frames.length === 0) {
      const woke = await new Promise<boolean>((resolve) => {
        const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve(false), timeoutMs);
        this.#wake = () => {
          if (timer !== undefined) clearTimeout(timer);
          resolve(true);
        };
      });
      this.#wake = undefined;
      if (!woke) return undefined;
    }
    const frame = this.#frames[0]!;
    // The end marker stays, so every later read sees it too.
    if (!("end" in frame)) this.#frames.shift();
    return frame;
  }
}
