import type { Msg } from "@nats-io/nats-core";
import * as v from "valibot";
import {
  err,
  EventHeaderSchema,
  ok,
  ValidationError,
  type EventSurface,
  type Result,
  type TrellisError,
  type UnexpectedError,
} from "../../contracts/index.ts";
import { settleHandler } from "../rpc/handler-result.ts";
import { telemetry as currentTelemetry, type Telemetry } from "../observability/telemetry.ts";
import { parseTraceparent } from "../observability/trace-context.ts";
import { HEADER, readHeader } from "../wire/headers.ts";
import { decodeJson } from "../wire/json-body.ts";
import { checkSchema } from "../wire/schema-check.ts";
import type { EventContext, EventHandler, EventHeader, ReceivedEvent } from "./event-types.ts";

/** A received event: JSON, a publisher-set header, and the event schema (receivers ignore unknown members). */
export function decodeEvent<S extends EventSurface>(
  surface: S,
  data: Uint8Array,
): Result<ReceivedEvent<S>, ValidationError | UnexpectedError> {
  const parsed = decodeJson(data);
  if (parsed.isErr()) return err(parsed.error);
  const raw = parsed.value as { header?: unknown } | null;
  const header = v.safeParse(EventHeaderSchema, typeof raw === "object" && raw !== null ? raw.header : undefined);
  if (!header.success)
    return err(new ValidationError([{ path: "/header", message: "must be {id, time} set by the publisher" }]));
  const checked = checkSchema(surface.event, parsed.value);
  if (checked.isErr()) return err(checked.error);
  return ok({ ...(checked.value as object), header: header.output as EventHeader } as ReceivedEvent<S>);
}

export type DeliveryInfo = Omit<EventContext, "id" | "time" | "traceId" | "trace" | "subject">;

/** Runs one listener under an `event.handle.<Name>` span continuing the publisher's trace. */
export async function runEventHandler<S extends EventSurface>(
  surface: S,
  handler: EventHandler<S>,
  event: ReceivedEvent<S>,
  msg: Msg,
  delivery: DeliveryInfo,
  telemetry: Telemetry | undefined,
): Promise<Result<void, TrellisError>> {
  const parent = parseTraceparent(
    readHeader(msg.headers, HEADER.traceparent),
    readHeader(msg.headers, HEADER.tracestate),
  );
  const span = (telemetry ?? currentTelemetry()).startSpan(`event.handle.${surface.name}`, {
    kind: "consumer",
    parent,
    attributes: { "rpc.system": "nats", "messaging.destination": msg.subject },
  });
  const context: EventContext = {
    id: event.header.id,
    time: event.header.time,
    subject: msg.subject,
    traceId: span.context.traceId,
    trace: span.context,
    ...delivery,
  };
  const result = await settleHandler(() => handler({ event, context }));
  if (result.isErr()) span.recordError(result.error);
  span.end();
  return result;
}
