import type { Msg, MsgHdrs } from "@nats-io/nats-core";
import { OutgoingHeaders } from "./outgoing-headers.ts";

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

type HeaderView = { exact: Map<string, string>; anyCase: Map<string, string> };

/**
 * Received headers, indexed once per message. nats.js answers every `get`
 * by listing and filtering all keys (and a case-insensitive one by
 * lowercasing each), which was a visible share of an RPC's CPU time; a
 * request is read six to eight times on its way through the server.
 */
const views = new WeakMap<MsgHdrs, HeaderView>();

function viewOf(headers: MsgHdrs): HeaderView {
  let view = views.get(headers);
  if (view === undefined) {
    view = { exact: new Map(), anyCase: new Map() };
    for (const [name, values] of headers) {
      const value = values[0];
      if (value === undefined || value === "") continue;
      if (!view.exact.has(name)) view.exact.set(name, value);
      const lower = name.toLowerCase();
      if (!view.anyCase.has(lower)) view.anyCase.set(lower, value);
    }
    views.set(headers, view);
  }
  return view;
}

/** A header of a received message: exact name first (the common case), then any case; `undefined` when absent or empty. */
export function readHeader(headers: MsgHdrs | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const view = viewOf(headers);
  return view.exact.get(name) ?? view.anyCase.get(name.toLowerCase());
}

export function headerReader(msg: Msg): (name: string) => string | undefined {
  return (name) => readHeader(msg.headers, name);
}

/** Builds outgoing headers, skipping absent values (`OutgoingHeaders`: nats.js's layout, built cheaply). */
export function buildHeaders(entries: Readonly<Record<string, string | undefined>>): MsgHdrs {
  const built = new OutgoingHeaders();
  for (const [name, value] of Object.entries(entries)) if (value !== undefined) built.append(name, value);
  return built;
}

/** A no-responders status (503 with an empty body), which NATS sends to a reply subject nobody listens behind. */
export function isNoRespondersStatus(msg: Msg): boolean {
  return msg.data.length === 0 && msg.headers?.code === 503;
}
