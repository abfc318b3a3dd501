import type { NatsConnection } from "@nats-io/nats-core";
import { err, ok, type Result, type TransportError, type ValidationError } from "../../contracts/index.ts";
import type { NormalizedManifest } from "../../contracts/index.ts";
import { ServerClock } from "../auth/server-clock.ts";
import type { SessionKeys } from "../auth/session-keys.ts";
import type { Logger } from "../observability/logger.ts";
import { bootstrapClient, bootstrapService, type BootstrapOutcome } from "./bootstrap.ts";
import { bootstrapUntilReady } from "./bootstrap-retry.ts";
import type { ConnectInfo, ServiceBindingInfo } from "./bootstrap-schemas.ts";
import { isAuthorizationError, openNatsConnection } from "./open-connection.ts";
import { sessionKeysOf, type SessionIdentityFields } from "./session-identity.ts";

/** What every connect needs besides the contract: where Trellis is and who this is. */
export type SessionOptions = SessionIdentityFields & {
  /** The bootstrap endpoint (`TRELLIS_URL`), e.g. `http://127.0.0.1:3000`. */
  trellisUrl: string;
  /** How long to keep retrying while not admitted yet or unreachable (ms). */
  waitMs?: number;
  /** One bootstrap request (ms); default 5000. */
  bootstrapTimeoutMs?: number;
  /** The NATS connection name; default: the contract id. */
  connectionName?: string;
  /** Normally omitted (a new one, set from the first `serverNow`); tests pass a skewed one. */
  clock?: ServerClock;
  logger: Logger;
};

export type OpenSession = {
  nc: NatsConnection;
  keys: SessionKeys;
  clock: ServerClock;
  connectInfo: ConnectInfo;
  binding: ServiceBindingInfo | undefined;
};

type Contract = { contractId: string; contractDigest: string; manifest: NormalizedManifest };

/** auth.md §3 for a service: `POST /bootstrap/service` until admitted, then NATS through the callout. */
export function openServiceSession(
  options: SessionOptions,
  contract: Contract,
): Promise<Result<OpenSession, TransportError | ValidationError>> {
  return openSession(options, contract, (target, withManifest) =>
    bootstrapService(target, {
      contractId: contract.contractId,
      contractDigest: contract.contractDigest,
      ...(withManifest ? { manifest: contract.manifest } : {}),
    }),
  );
}

/**
 * auth.md §3 for an app or agent: `POST /bootstrap/client`. The session is
 * bound to one digest at approval; presenting another would be refused by
 * the callout (`contract_changed`), so that is reported before connecting.
 */
export function openClientSession(
  options: SessionOptions,
  contract: Contract,
): Promise<Result<OpenSession, TransportError | ValidationError>> {
  return openSession(options, contract, async (target) => {
    const outcome = await bootstrapClient(target);
    if (outcome.kind === "ready" && outcome.connectInfo.contractDigest !== contract.contractDigest) {
      return { kind: "refused", status: 200, reason: "contract_changed" } satisfies BootstrapOutcome;
    }
    return outcome;
  });
}

async function openSession(
  options: SessionOptions,
  contract: Contract,
  bootstrap: (
    target: { trellisUrl: string; keys: SessionKeys; clock: ServerClock; timeoutMs?: number },
    withManifest: boolean,
  ) => Promise<BootstrapOutcome>,
): Promise<Result<OpenSession, TransportError | ValidationError>> {
  const keys = await sessionKeysOf(options);
  if (keys.isErr()) return err(keys.error);
  const clock = options.clock ?? new ServerClock();
  const target = {
    trellisUrl: options.trellisUrl,
    keys: keys.value,
    clock,
    ...(options.bootstrapTimeoutMs === undefined ? {} : { timeoutMs: options.bootstrapTimeoutMs }),
  };
  const logger = options.logger.child({ sessionKey: keys.value.sessionKey });
  const admit = () =>
    bootstrapUntilReady((withManifest) => bootstrap(target, withManifest), { waitMs: options.waitMs ?? 0, logger });

  let ready = await admit();
  if (!("connectInfo" in ready)) return err(ready);
  const settings = {
    keys: keys.value,
    contractDigest: contract.contractDigest,
    clock,
    name: options.connectionName ?? contract.contractId,
  };
  let nc = await openNatsConnection(ready.connectInfo, settings);
  if (nc.isErr() && isAuthorizationError(nc.error.cause)) {
    // auth.md §3 step 4: after a rejected connect, refresh serverNow through bootstrap and retry once.
    logger.warn({ reason: "connect refused" }, "NATS refused the connect; bootstrapping again and retrying once");
    ready = await admit();
    if (!("connectInfo" in ready)) return err(ready);
    nc = await openNatsConnection(ready.connectInfo, settings);
  }
  if (nc.isErr()) return err(nc.error);
  watchReconnectRefusals(nc.value, () => bootstrap(target, false), logger);
  return ok({ nc: nc.value, keys: keys.value, clock, connectInfo: ready.connectInfo, binding: ready.binding });
}

const REFRESH_INTERVAL_MS = 10_000;

/**
 * nats.js reconnects on its own with a fresh token each time; if the callout
 * refuses one (say the clock drifted past the 30 s window while
 * disconnected), bootstrap again so the next token's `iat` uses a fresh
 * `serverNow`. At most once every 10 s; the outcome only updates the clock.
 */
function watchReconnectRefusals(nc: NatsConnection, bootstrap: () => Promise<BootstrapOutcome>, logger: Logger) {
  void (async () => {
    let last = 0;
    for await (const status of nc.status()) {
      if (status.type !== "error" || !isAuthorizationError(status.error)) continue;
      if (Date.now() - last < REFRESH_INTERVAL_MS) continue;
      last = Date.now();
      const outcome = await bootstrap().catch(() => undefined);
      logger.info(
        { outcome: outcome?.kind, reason: outcome?.kind === "refused" ? outcome.reason : undefined },
        "clock refreshed after a refused reconnect",
      );
    }
  })().catch(() => undefined);
}
