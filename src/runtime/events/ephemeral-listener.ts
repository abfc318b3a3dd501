import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { subscriptionSubject, type EventSurface } from "../../contracts/index.ts";
import type { InFlight } from "../lifecycle/in-flight.ts";
import type { Logger } from "../observability/logger.ts";
import type { Telemetry } from "../observability/telemetry.ts";
import { decodeEvent, runEventHandler } from "./event-dispatch.ts";
import type { EventHandler } from "./event-types.ts";

/**
 * An ephemeral listener (runtime-wire.md §3): a core subscription with every
 * placeholder as `*`, no cursor, no redelivery. Invalid payloads and handler
 * errors are logged and skipped. Being core NATS, it sees every publish,
 * duplicates included (only the stream deduplicates).
 */
export function listenEphemeral<S extends EventSurface>(
  nc: NatsConnection,
  surface: S,
  handler: EventHandler<S>,
  options: { inFlight: InFlight; logger: Logger; telemetry?: Telemetry | undefined },
): Subscription {
  const subject = subscriptionSubject(surface.subject).unwrapOr(surface.subject);
  const log = { event: surface.name, subject };
  return nc.subscribe(subject, {
    callback: (error, msg) => {
      if (error !== null) return options.logger.error({ ...log, error }, "event subscription failed");
      const event = decodeEvent(surface, msg.data);
      if (event.isErr()) {
        options.logger.warn(
          { ...log, subject: msg.subject, error: event.error, errorType: event.error.type },
          "invalid event skipped",
        );
        return;
      }
      options.inFlight.track(
        runEventHandler(surface, handler, event.value, msg, { mode: "ephemeral" }, options.telemetry).then((result) => {
          if (result.isErr()) {
            options.logger.warn(
              {
                ...log,
                subject: msg.subject,
                id: event.value.header.id,
                error: result.error,
                errorType: result.error.type,
              },
              "event handler failed (ephemeral: not redelivered)",
            );
          }
        }),
      );
    },
  });
}
