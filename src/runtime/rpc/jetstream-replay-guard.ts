import type { NatsConnection } from "@nats-io/nats-core";
import { buildHeaders } from "../wire/headers.ts";
import { decodeJson } from "../wire/json-body.ts";
import { requesterFor } from "../wire/requester.ts";
import { silentLogger, type Logger } from "../observability/logger.ts";
import { REPLAY_TTL_SECONDS, replayClaimSubject } from "./replay-bucket.ts";
import type { ReplayGuard } from "./replay-guard.ts";

/**
 * The result of one claim. `unwritten`: nothing reached the bucket (no
 * permission, no stream), so another validator may still claim the key;
 * `unknown`: the claim may or may not have been stored (timeout, closed
 * connection), so the request must be refused.
 */
export type ClaimOutcome = "claimed" | "replayed" | "unwritten" | "unknown";

/** JetStream's error code for a failed `Nats-Expected-Last-Subject-Sequence` check. */
const WRONG_LAST_SEQUENCE = 10071;
const DEFAULT_TIMEOUT_MS = 2000;

/**
 * Claims replay keys in the shared bucket with one JetStream publish each:
 * an empty message to `$KV.trellis_replay.<key>` that JetStream stores only
 * if the key's subject holds no message at all
 * (`Nats-Expected-Last-Subject-Sequence: 0`), acknowledged on the inbox.
 *
 * Unlike `kv.create`, a key whose subject holds a delete or purge marker is
 * not re-claimable: any message at all makes the key taken until the bucket's
 * TTL removes it. So whoever may publish claims can only ever add claims,
 * never withdraw one (design/runtime.md "Why sharing one bucket is safe").
 */
export class JetStreamReplayGuard implements ReplayGuard {
  readonly #nc: NatsConnection;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #nowMs: () => number;

  constructor(nc: NatsConnection, options: { logger?: Logger; timeoutMs?: number; nowMs?: () => number } = {}) {
    this.#nc = nc;
    this.#logger = options.logger ?? silentLogger;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#nowMs = options.nowMs ?? Date.now;
  }

  async claim(key: string, keepUntilMs: number): Promise<boolean> {
    return (await this.tryClaim(key, keepUntilMs)) === "claimed";
  }

  async tryClaim(key: string, keepUntilMs: number): Promise<ClaimOutcome> {
    if (keepUntilMs - this.#nowMs() > REPLAY_TTL_SECONDS * 1000) {
      // Cannot be held long enough: refuse rather than accept a request that could be replayed later.
      this.#logger.warn({ keepUntilMs }, "replay key would outlive the replay bucket TTL; request refused");
      return "replayed";
    }
    const reply = await requesterFor(this.#nc).request(replayClaimSubject(key), EMPTY, {
      headers: buildHeaders({ "Nats-Expected-Last-Subject-Sequence": "0" }),
      timeoutMs: this.#timeoutMs,
    });
    if (reply.isErr()) {
      const { kind } = reply.error;
      this.#logger.error({ problem: kind }, "replay cache unreachable");
      // Refused by permissions or no stream behind the subject: JetStream stored nothing.
      return kind === "denied" || kind === "no_responders" ? "unwritten" : "unknown";
    }
    const ack = decodeJson(reply.value.data);
    const value = (ack.isOk() ? ack.value : undefined) as { seq?: unknown; error?: { err_code?: unknown } } | undefined;
    if (typeof value?.seq === "number" && value.error === undefined) return "claimed";
    if (value?.error?.err_code === WRONG_LAST_SEQUENCE) return "replayed";
    this.#logger.error({ jetstream: value?.error }, "replay cache refused the claim");
    return "unknown";
  }
}

const EMPTY = new Uint8Array(0);
