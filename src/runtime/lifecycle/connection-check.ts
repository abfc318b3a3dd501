import type { NatsConnection } from "@nats-io/nats-core";
import { err, inboxPrefix, ok, ValidationError, type Result } from "../../contracts/index.ts";

/**
 * A connection the runtime can use: open, and opened with `inboxPrefix` set
 * to the session's prefix (auth.md §1), since replies, feeds and pulls come
 * back on inboxes under it and NATS permits nothing else. nats.js keeps its
 * options on the connection object without typing them; when they can be
 * read, the prefix is checked here rather than failing later as timeouts.
 */
export function checkConnection(nc: NatsConnection, sessionKey: string): Result<void, ValidationError> {
  if (nc.isClosed()) return err(new ValidationError([{ path: "/nc", message: "the NATS connection is closed" }]));
  const expected = inboxPrefix(sessionKey);
  const options = (nc as { options?: { inboxPrefix?: unknown } }).options;
  if (options !== undefined && options.inboxPrefix !== expected) {
    return err(
      new ValidationError([
        {
          path: "/nc",
          message: `connect with inboxPrefix '${expected}' (the session's prefix), got '${String(options.inboxPrefix)}'`,
        },
      ]),
    );
  }
  return ok(undefined);
}
