import { err, ok, type Result, type TransportError, type ValidationError } from "../../contracts/index.ts";
import { openServiceSession } from "../connect/connect-session.ts";
import type { SessionIdentityFields } from "../connect/session-identity.ts";
import type { RuntimeContract } from "../facade/contract-shape.ts";
import type { ConnectionStatus } from "../observability/connection-status.ts";
import { createLogger } from "../observability/logger.ts";
import { FastPathAuthenticator } from "../rpc/fast-path-authenticator.ts";
import { JetStreamReplayGuard } from "../rpc/jetstream-replay-guard.ts";
import { ValidateRpcAuthenticator } from "../rpc/request-authenticator.ts";
import { RpcClient } from "../rpc/rpc-client.ts";
import type { ServiceConnectOptions, ServiceFromConnectionOptions } from "./service-options.ts";

export const DEFAULT_APPROVAL_WAIT_MS = 60_000;

/** What `TrellisService.connect` hands to `fromConnection`, and what it wires up once the service runs. */
export type ServiceConnectParts<C extends RuntimeContract> = {
  fromConnection: ServiceFromConnectionOptions<C>;
  started(service: { onStatus(listener: (status: ConnectionStatus) => void): () => void }): void;
};

/**
 * The connect of runtime-wire.md §7.1 up to a connection: the session
 * (bootstrap, clock, NATS through the callout; `connect/connect-session.ts`)
 * and the request authenticator. The fast path is armed before the service
 * mounts anything; until it is, and whenever it is off, every request goes
 * to Validate.
 */
export async function connectServiceParts<C extends RuntimeContract>(
  options: ServiceConnectOptions<C>,
): Promise<Result<ServiceConnectParts<C>, TransportError | ValidationError>> {
  const { contract } = options;
  const logger = options.logger ?? createLogger();
  const session = await openServiceSession(
    {
      ...identityOf(options),
      trellisUrl: options.trellisUrl,
      waitMs: options.approvalWaitMs ?? DEFAULT_APPROVAL_WAIT_MS,
      ...(options.bootstrapTimeoutMs === undefined ? {} : { bootstrapTimeoutMs: options.bootstrapTimeoutMs }),
      connectionName: `${options.name} (${contract.CONTRACT_ID})`,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      logger: logger.child({ service: options.name, contractId: contract.CONTRACT_ID }),
    },
    { contractId: contract.CONTRACT_ID, contractDigest: contract.CONTRACT_DIGEST, manifest: contract.CONTRACT },
  );
  if (session.isErr()) return err(session.error);
  const { nc, keys, clock, binding } = session.value;

  const validate = new ValidateRpcAuthenticator(new RpcClient(nc, { keys, clock }));
  let fastPath: FastPathAuthenticator | undefined;
  if (options.fastAuthentication !== false) {
    fastPath = new FastPathAuthenticator({
      validate,
      replay: new JetStreamReplayGuard(nc, { logger, nowMs: () => clock.nowMs() }),
      nowMs: () => clock.nowMs(),
      logger,
    });
    await fastPath.arm(nc);
  }
  return ok({
    fromConnection: {
      nc,
      contract,
      name: options.name,
      keys,
      clock,
      authenticator: fastPath ?? validate,
      logger,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      bindings: binding ?? {},
      ...(options.instanceId === undefined ? {} : { instanceId: options.instanceId }),
      ...(options.version === undefined ? {} : { version: options.version }),
      ...(options.health === undefined ? {} : { health: options.health }),
      ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
    },
    started: (service) => {
      service.onStatus((status) => {
        // Revocations published while the connection was down were not heard.
        if (status.type === "disconnected" || status.type === "reconnected") fastPath?.forgetCallers();
      });
    },
  });
}

/** Only the identity fields travel on: the seed goes nowhere but `sessionKeysOf`. */
export function identityOf(options: SessionIdentityFields): SessionIdentityFields {
  return { keys: options.keys, sessionKeySeed: options.sessionKeySeed, sessionKeySeedFile: options.sessionKeySeedFile };
}
