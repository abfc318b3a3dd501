import { inboxPrefix } from "../../contracts/index.ts";

/**
 * auth.md §7: a reply (error replies and feed frames included) may only go to
 * a subject under the inbox prefix derived from the request's own
 * `session-key`, so a caller cannot steer answers into another session's
 * inbox. Without a session key there is no prefix to check against, and
 * nothing is sent.
 */
export function replyAllowed(reply: string | undefined, sessionKey: string | undefined): reply is string {
  if (reply === undefined || reply === "" || sessionKey === undefined || sessionKey === "") return false;
  const prefix = inboxPrefix(sessionKey);
  return reply.length > prefix.length + 1 && reply.startsWith(prefix) && reply[prefix.length] === ".";
}
