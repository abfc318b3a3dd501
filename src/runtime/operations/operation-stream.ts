import { TransportError } from "../../contracts/index.ts";
import { STREAM_EXPIRED } from "./operation-wire.ts";

/** §5.3: one keepalive per 15 s of silence (spec window 5-30 s); streams end 10 s before a 2-minute TTL. */
export const KEEPALIVE_INTERVAL_MS = 15_000;
export const STREAM_LIFETIME_MS = 110_000;

export type StreamTiming = { keepaliveMs: number; lifetimeMs: number };

/**
 * The timers of one `watch`/`wait` stream: a keepalive after `keepaliveMs`
 * without a frame, and the end of the stream (`stream_expired`) before the
 * service's response permission for the caller's reply runs out.
 */
export class StreamTimers {
  #silence: ReturnType<typeof setTimeout> | undefined;
  readonly #lifetime: ReturnType<typeof setTimeout>;
  #stopped = false;

  constructor(
    private readonly timing: StreamTiming,
    private readonly onKeepalive: () => void,
    onExpire: () => void,
  ) {
    this.#lifetime = setTimeout(() => {
      if (!this.#stopped) onExpire();
    }, timing.lifetimeMs);
    this.sent();
  }

  /** A frame went out: the silence starts again. */
  sent(): void {
    if (this.#stopped) return;
    if (this.#silence !== undefined) clearTimeout(this.#silence);
    this.#silence = setTimeout(() => {
      if (this.#stopped) return;
      this.onKeepalive();
      this.sent();
    }, this.timing.keepaliveMs);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#silence !== undefined) clearTimeout(this.#silence);
    clearTimeout(this.#lifetime);
  }
}

export function streamExpired(why = "the stream reached the end of its response permission"): TransportError {
  return new TransportError(STREAM_EXPIRED, `${why}: get the snapshot and re-issue the request`);
}
