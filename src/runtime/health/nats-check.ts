import type { NatsConnection } from "@nats-io/nats-core";
import { AsyncResult, err, ok, UnexpectedError } from "../../contracts/index.ts";
import type { HealthCheck } from "./health-checks.ts";

const RTT_TIMEOUT_MS = 2000;

/** The `nats` check every service gets: the connection is open and the server answers a ping. */
export function natsCheck(nc: NatsConnection): HealthCheck {
  return () =>
    new AsyncResult(
      (async () => {
        if (nc.isClosed())
          return err(new UnexpectedError({ context: { causeMessage: "the NATS connection is closed" } }));
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no PONG within ${RTT_TIMEOUT_MS} ms`)), RTT_TIMEOUT_MS);
        });
        try {
          const rttMs = await Promise.race([nc.rtt(), timeout]);
          return ok({ summary: `connected to ${nc.getServer()}`, info: { server: nc.getServer(), rttMs } });
        } catch (cause) {
          return err(UnexpectedError.from(cause));
        } finally {
          clearTimeout(timer);
        }
      })(),
    );
}
