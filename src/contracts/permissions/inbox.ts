/**
 * Session-key derived subjects (auth.md §1, contracts.md §5). Every session
 * may subscribe under its own inbox prefix, and only there, so replies cannot
 * be steered into another session's inbox.
 */

/** `sk16`: the first 16 characters of the session key, its token in subjects. */
export function sessionKeyToken(sessionKey: string): string {
  return sessionKey.slice(0, 16);
}

/** `"_INBOX." + sk16`; clients put every reply inbox under it. */
export function inboxPrefix(sessionKey: string): string {
  return `_INBOX.${sessionKeyToken(sessionKey)}`;
}

/** The always-present subscribe subject of a session: `<inboxPrefix>.>`. */
export function inboxSubscribeSubject(sessionKey: string): string {
  return `${inboxPrefix(sessionKey)}.>`;
}

/**
 * The subjects a session's connection gets: its approval's subjects plus its
 * inbox. Approval records are per digest, not per session, so the inbox is
 * added here (by the callout), never stored in an approval.
 */
export function withSessionInbox<
  G extends { publishSubjects: readonly string[]; subscribeSubjects: readonly string[] },
>(grant: G, sessionKey: string): { publishSubjects: string[]; subscribeSubjects: string[] } {
  return {
    publishSubjects: [...new Set(grant.publishSubjects)].sort(),
    subscribeSubjects: [...new Set([...grant.subscribeSubjects, inboxSubscribeSubject(sessionKey)])].sort(),
  };
}
