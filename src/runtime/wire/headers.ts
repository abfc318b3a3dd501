import { headers as natsHeaders, Match, type Msg, type MsgHdrs } from "@nats-io/nats-core";

/**
 * Header names exactly as they go on the wire (runtime-wire.md §0): lowercase
 * except `Nats-Msg-Id`. Receivers match case-insensitively.
 */
export const HEADER = {
  sessionKey: "session-key",
  proof: "proof",
  iat: "iat",
  requestId: "request-id",
  traceparent: "traceparent",
  tracestate: "tracestate",
  status: "status",
  feedStatus: "feed-status",
  msgId: "Nats-Msg-Id",
} as const;

/** `status: error` marks an error reply or frame; its presence alone decides (§1.3). */
export const STATUS_ERROR = "error";
/** `feed-status: ready`, the empty first frame of a feed (§4.3). */
export const FEED_READY = "ready";

/** A header of a received message: exact name first (the common case), then any case; `undefined` when absent or empty. */
export function readHeader(headers: MsgHdrs | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const exact = headers.get(name);
  if (exact !== "") return exact;
  const anyCase = headers.get(name, Match.IgnoreCase);
  return anyCase === "" ? undefined : anyCase;
}

export function headerReader(msg: Msg): (name: string) => string | undefined {
  return (name) => readHeader(msg.headers, name);
}

/** Builds outgoing headers, skipping absent values. */
export function buildHeaders(entries: Readonly<Record<string, string | undefined>>): MsgHdrs {
  const built = natsHeaders();
  for (const [name, value] of Object.entries(entries)) if (value !== undefined) built.set(name, value);
  return built;
}

/** A no-responders status (503 with an empty body), which NATS sends to a reply subject nobody listens behind. */
export function isNoRespondersStatus(msg: Msg): boolean {
  return msg.data.length === 0 && msg.headers?.code === 503;
}
