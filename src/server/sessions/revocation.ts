import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamClient } from "@nats-io/jetstream";
import { ulid } from "ulid";
import { authContract } from "../../contracts/index.ts";
import type { Logger } from "../../runtime/index.ts";
import type { AuthStore } from "../store/auth-store.ts";
import { presenceFilter } from "../store/keys.ts";

const KICK_TIMEOUT_MS = 2000;
/** A connect that read the approval just before it was revoked may finish after the first sweep; a second one catches it. */
const SECOND_SWEEP_MS = 1500;

export type RevocationOutcome = { sessionsDeleted: number; connectionsKicked: number };

/**
 * Revocation (auth.md §5 bookkeeping, §6.3): delete the session, tell every
 * validator cache (`events.v1.Auth.Sessions.Revoked`), and kick each live
 * connection of the session key through `$SYS.REQ.SERVER.<id>.KICK` with the
 * system account (other accounts get no responders), deleting its presence.
 */
export class Revoker {
  readonly #pending = new Set<Promise<unknown>>();

  constructor(
    private readonly store: AuthStore,
    private readonly system: NatsConnection,
    private readonly events: JetStreamClient,
    private readonly logger: Logger,
  ) {}

  /** `onlyDigest`: kick only connections that presented that digest (revoking one approval of a rollout). */
  async revokeSession(sessionKey: string, reason: string, onlyDigest?: string): Promise<RevocationOutcome> {
    let sessionsDeleted = 0;
    const session = await this.store.sessions.get(sessionKey);
    const matches =
      session.isOk() &&
      session.value !== undefined &&
      (onlyDigest === undefined || session.value.value.contractDigest === onlyDigest);
    if (matches || session.isErr()) {
      const deleted = await this.store.sessions.delete(sessionKey);
      if (deleted.isOk()) sessionsDeleted = 1;
    }
    await this.#announce(sessionKey, reason);
    const connectionsKicked = await this.kick(sessionKey, onlyDigest);
    this.#later(() => this.kick(sessionKey, onlyDigest));
    this.logger.info({ sessionKey, reason, sessionsDeleted, connectionsKicked }, "session revoked");
    return { sessionsDeleted, connectionsKicked };
  }

  /** Kicks every recorded connection of a session key and forgets it. */
  async kick(sessionKey: string, onlyDigest?: string): Promise<number> {
    const entries = await this.store.connections.list(presenceFilter(sessionKey));
    if (entries.isErr()) {
      this.logger.error({ sessionKey, problem: entries.error.message }, "presence unavailable; connections not kicked");
      return 0;
    }
    let kicked = 0;
    for (const { key, value } of entries.value) {
      if (onlyDigest !== undefined && value.contractDigest !== undefined && value.contractDigest !== onlyDigest)
        continue;
      try {
        await this.system.request(`$SYS.REQ.SERVER.${value.serverId}.KICK`, JSON.stringify({ cid: value.clientId }), {
          timeout: KICK_TIMEOUT_MS,
        });
        kicked++;
      } catch (error) {
        // Already gone, or its server is down (and with it the connection).
        this.logger.debug({ sessionKey, serverId: value.serverId, error }, "kick not answered");
      }
      await this.store.connections.delete(key);
    }
    return kicked;
  }

  async #announce(sessionKey: string, reason: string): Promise<void> {
    const surface = authContract().API.owned.events["Auth.Sessions.Revoked"];
    const payload = { header: { id: ulid(), time: new Date().toISOString() }, sessionKey, reason };
    try {
      await this.events.publish(surface.subject, JSON.stringify(payload), { msgID: payload.header.id });
    } catch (error) {
      this.logger.error({ sessionKey, error }, "revocation event not published");
    }
  }

  #later(work: () => Promise<unknown>): void {
    const pending = new Promise((resolve) => setTimeout(resolve, SECOND_SWEEP_MS)).then(work).catch(() => undefined);
    this.#pending.add(pending);
    void pending.finally(() => this.#pending.delete(pending));
  }

  /** Waits for delayed sweeps (shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
