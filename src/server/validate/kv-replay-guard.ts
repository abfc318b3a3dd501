import type { KV } from "@nats-io/kv";
import type { Logger, ReplayGuard } from "../../runtime/index.ts";
import { REPLAY_TTL_SECONDS } from "../infra/definitions.ts";

/**
 * The replay cache every validator shares (auth.md §4 step 4): a KV bucket
 * whose TTL (90 s) outlives the longest a key must be held (`max(now, iat) +
 * 30 s`, at most 60 s after insertion), written create-if-absent so two
 * replicas racing on one request id cannot both win.
 */
export class KvReplayGuard implements ReplayGuard {
  constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  async claim(key: string, keepUntilMs: number): Promise<boolean> {
    if (keepUntilMs - Date.now() > REPLAY_TTL_SECONDS * 1000) {
      // Cannot be held long enough: refuse rather than accept a replayable request.
      this.logger.warn({ keepUntilMs }, "replay key would outlive the replay bucket TTL; request refused");
      return false;
    }
    try {
      await this.kv.create(key, new Uint8Array());
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!/wrong last sequence|key exists/i.test(message)) {
        // Unavailable: failing closed means refusing the request.
        this.logger.error({ problem: message }, "replay cache unavailable; request refused");
      }
      return false;
    }
  }
}
