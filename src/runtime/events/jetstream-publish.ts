import type { MsgHdrs, NatsConnection } from "@nats-io/nats-core";
import { err, ok, UnexpectedError, type Result } from "../../contracts/index.ts";
import { decodeJson } from "../wire/json-body.ts";
import { requesterFor } from "../wire/requester.ts";

export type PubAck = { stream: string; seq: number; duplicate: boolean };

/**
 * A JetStream publish awaiting the PubAck, as a plain request to the stream
 * subject: no `$JS.API` call is made, so a publisher needs only `publish` on
 * the event subjects (and its inbox for the acknowledgement). No responders
 * means no stream captures the subject.
 */
export async function publishToStream(
  nc: NatsConnection,
  subject: string,
  body: Uint8Array,
  headers: MsgHdrs,
  timeoutMs: number,
): Promise<Result<PubAck, UnexpectedError>> {
  const reply = await requesterFor(nc).request(subject, body, { headers, timeoutMs });
  if (reply.isErr()) {
    const { kind, cause } = reply.error;
    const reason = kind === "no_responders" ? "no stream captures this subject" : `publish failed (${kind})`;
    return err(UnexpectedError.from(cause ?? reason, { context: { reason, subject } }));
  }
  const ack = decodeJson(reply.value.data);
  if (ack.isErr()) return err(ack.error);
  const value = ack.value as {
    stream?: unknown;
    seq?: unknown;
    duplicate?: unknown;
    error?: { description?: unknown };
  };
  if (value.error !== undefined || typeof value.stream !== "string" || typeof value.seq !== "number") {
    return err(
      new UnexpectedError({ context: { reason: "JetStream refused the publish", subject, jetstream: value.error } }),
    );
  }
  return ok({ stream: value.stream, seq: value.seq, duplicate: value.duplicate === true });
}
