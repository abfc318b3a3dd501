import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { authContract } from "../../contracts/index.ts";
import { silentLogger, type Logger } from "../observability/logger.ts";
import { decodeJson } from "../wire/json-body.ts";
import { checkSchema } from "../wire/schema-check.ts";

/**
 * Drops cached principals when a session is revoked: a core subscription to
 * `events.v1.Auth.Sessions.Revoked` (auth.md §4; needs `subscribe` on it).
 * Core rather than durable: a cache only needs revocations from now on.
 * `onFailure` hears a refused subscription (no `subscribe` grant): a cache
 * that cannot hear revocations must not be used.
 */
export function dropOnRevocation(
  nc: NatsConnection,
  cache: { drop(sessionKey: string): void },
  logger: Logger = silentLogger,
  onFailure?: (error: Error) => void,
): Subscription {
  const surface = authContract().API.owned.events["Auth.Sessions.Revoked"];
  return nc.subscribe(surface.subject, {
    callback: (error, msg) => {
      if (error !== null) {
        onFailure?.(error);
        return logger.error({ event: surface.name, error }, "revocation subscription failed");
      }
      const event = decodeJson(msg.data).andThen((value) => checkSchema(surface.event, value));
      if (event.isErr()) return logger.warn({ event: surface.name, error: event.error }, "invalid revocation skipped");
      cache.drop(event.value.sessionKey);
    },
  });
}
