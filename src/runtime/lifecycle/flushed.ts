import type { NatsConnection } from "@nats-io/nats-core";
import { err, ok, TransportError, type Result } from "../../contracts/index.ts";
import { TRANSPORT_CODES } from "../wire/transport-errors.ts";

/** A round trip to the server, so subscriptions made before it are in place; a closed connection is a TransportError. */
export async function flushed(nc: NatsConnection): Promise<Result<void, TransportError>> {
  try {
    await nc.flush();
    return ok(undefined);
  } catch (cause) {
    return err(new TransportError(TRANSPORT_CODES.failed, "the NATS connection could not be flushed", { cause }));
  }
}
