import { readFileSync } from "node:fs";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Server } from "bun";
import { authContract, coreContract, err, ok, stateContract, type Result } from "../contracts/index.ts";
import {
  CachedPrincipalLookup,
  dropOnRevocation,
  JetStreamReplayGuard,
  LocalRequestAuthenticator,
  parseCredsText,
  RpcServer,
  type Logger,
} from "../runtime/index.ts";
import { mountAuthRpcs } from "./admin/mount.ts";
import { startBootstrapServer } from "./bootstrap/http-server.ts";
import { Admission } from "./callout/admission.ts";
import { CalloutService } from "./callout/callout-service.ts";
import { loadCalloutKeys } from "./callout/load-keys.ts";
import { CalloutResponder } from "./callout/respond.ts";
import { CatalogService } from "./catalog/catalog-service.ts";
import { mountCatalogRpcs } from "./catalog/mount-catalog.ts";
import type { ServerConfig } from "./config/load-config.ts";
import { applyAdminImports } from "./imports/admin-import.ts";
import { checkInfra } from "./infra/reconcile-infra.ts";
import { JobsAdmin } from "./jobs/jobs-admin.ts";
import { connectWithCreds } from "./nats/connect-with-creds.ts";
import { Reconciler } from "./reconcile/reconciler.ts";
import { Revoker } from "./sessions/revocation.ts";
import { openStateService } from "./state/mount-state.ts";
import { AuthStore } from "./store/auth-store.ts";
import { KvPrincipalLookup } from "./validate/kv-principal-lookup.ts";

/** Why the control plane could not start: bad config or secrets, NATS unreachable, or infra not applied. */
export type StartFailure = { kind: "config" | "connection" | "infra"; message: string };

export type ControlPlaneOptions = { logger: Logger };

/**
 * `trellis server` (auth.md §5, §4, §6; tooling.md §3.5): the auth callout
 * responder, `trellis.auth@v1` (Validate, sessions, admin), `trellis.state@v1`
 * (state stores of users and devices), `trellis.core@v1` (the catalog),
 * `trellis.jobs@v1` (the jobs admin runtime), the bootstrap
 * endpoint, reconciliation. All state is in JetStream, so any number of
 * replicas can run against one NATS; they split the callout and the RPCs
 * through queue groups and share the replay cache.
 */
export class ControlPlane {
  #stopping: Promise<void> | undefined;

  private constructor(
    private readonly connections: { auth: NatsConnection; trellis: NatsConnection; system: NatsConnection },
    private readonly callout: CalloutService,
    private readonly rpc: RpcServer,
    private readonly stateRpc: RpcServer,
    private readonly coreRpc: RpcServer,
    private readonly jobs: JobsAdmin | undefined,
    private readonly revoker: Revoker,
    private readonly http: Server<undefined> | undefined,
    private readonly logger: Logger,
  ) {}

  /** The jobs admin runtime, unless `jobs.mode` is `off`. */
  get jobsAdmin(): JobsAdmin | undefined {
    return this.jobs;
  }

  /** The bootstrap endpoint's URL, when it listens. */
  get httpUrl(): string | undefined {
    return this.http === undefined ? undefined : `http://${this.http.hostname}:${this.http.port}`;
  }

  static async start(config: ServerConfig, options: ControlPlaneOptions): Promise<Result<ControlPlane, StartFailure>> {
    const { logger } = options;
    const keys = loadCalloutKeys(config);
    if (keys.isErr()) return err({ kind: "config", message: keys.error.message });
    const sentinel = readSentinel(config.nats.sentinelCreds);
    if (sentinel.isErr()) return err(sentinel.error);

    const opened: NatsConnection[] = [];
    const closeAll = () => Promise.allSettled(opened.map((nc) => nc.close()));
    try {
      const connect = async (credsPath: string, name: string) => {
        const nc = await connectWithCreds({ servers: config.nats.servers, credsPath, name });
        opened.push(nc);
        return nc;
      };
      const auth = await connect(config.nats.authCreds, "trellis-server auth");
      const trellis = await connect(config.nats.trellisCreds, "trellis-server trellis");
      const system = await connect(config.nats.systemCreds, "trellis-server system");

      const infra = await checkInfra({ auth, trellis }, {});
      const notReady = infra.filter((report) => report.status !== "ready");
      if (notReady.length > 0) {
        await closeAll();
        return err({
          kind: "infra",
          message: `not ready: ${notReady.map((r) => `${r.name} ${r.status}`).join(", ")} (run trellis infra apply)`,
        });
      }

      const store = await AuthStore.open(auth);
      const imported = await applyAdminImports(store, config.importsDir, logger);
      if (imported > 0) logger.info({ imported }, "operator imports applied");

      const revoker = new Revoker(store, system, jetstream(trellis), logger);
      const reconciler = new Reconciler(trellis, store, config.replicas, logger);
      const principals = new CachedPrincipalLookup(new KvPrincipalLookup(store, config.sessionTtlSeconds));
      dropOnRevocation(trellis, principals, logger);
      const authenticator = new LocalRequestAuthenticator({
        principals,
        // The bucket services claim in too (TRELLIS account): a key claimed by either side is taken for both.
        replay: new JetStreamReplayGuard(trellis, { logger: logger.child({ component: "replay" }) }),
      });

      const callout = new CalloutService(auth, {
        store,
        responder: new CalloutResponder(keys.value, {
          jwtTtlSeconds: config.natsJwtTtlSeconds,
          operationResponseMax: config.operationResponse.max,
          operationResponseTtlSeconds: config.operationResponse.ttlSeconds,
        }),
        admission: new Admission(config.admission.perHost, config.admission.perServer),
        logger: logger.child({ component: "callout" }),
        sessionTtlSeconds: config.sessionTtlSeconds,
      });
      callout.start();

      // One RpcServer per built-in contract the control plane serves, so each one's errors name its contract.
      const serverFor = (contract: { CONTRACT: { id: string }; CONTRACT_DIGEST: string }, component: string) =>
        new RpcServer(trellis, {
          contractId: contract.CONTRACT.id,
          contractDigest: contract.CONTRACT_DIGEST,
          serviceName: "trellis",
          authenticator,
          logger: logger.child({ component }),
        });
      const rpc = serverFor(authContract(), "rpc");
      const mounted = mountAuthRpcs(rpc, {
        admin: { store, revoker, reconciler, logger: logger.child({ component: "admin" }) },
        authenticator,
      });
      if (mounted.isErr()) throw new Error(mounted.error.message);
      // trellis.state@v1: the bucket is in AUTH, out of every service's and client's reach.
      const stateRpc = serverFor(stateContract(), "state");
      const stateMounted = await openStateService(auth, store, stateRpc);
      if (stateMounted.isErr()) throw new Error(stateMounted.error.message);
      // trellis.core@v1: the catalog of active contracts and contracts by digest.
      const coreRpc = serverFor(coreContract(), "catalog");
      const coreMounted = mountCatalogRpcs(coreRpc, new CatalogService(store));
      if (coreMounted.isErr()) throw new Error(coreMounted.error.message);
      // trellis.jobs@v1 and, on the lease holder, the jobs loops (design/jobs-admin.md).
      let jobs: JobsAdmin | undefined;
      if (config.jobs.mode !== "off") {
        const started = JobsAdmin.start({
          nc: trellis,
          settings: { ...config.jobs, mode: config.jobs.mode },
          authenticator,
          logger: logger.child({ component: "jobs" }),
        });
        if (started.isErr()) {
          await Promise.allSettled([rpc.drain(), stateRpc.drain(), coreRpc.drain(), callout.drain()]);
          await closeAll();
          return err({ kind: "config", message: started.error });
        }
        jobs = started.value;
      }
      // The queue-group interest must reach the server before anyone is told we are up.
      await Promise.all([auth.flush(), trellis.flush()]);

      let ready = false;
      const http =
        config.http === undefined
          ? undefined
          : startBootstrapServer({
              listen: config.http.listen,
              logger: logger.child({ component: "bootstrap" }),
              isReady: () => ready,
              deps: {
                store,
                sentinel: sentinel.value,
                transports: {
                  natsServers: config.clients.natsServers,
                  websocketServers: config.clients.websocketServers,
                },
                sessionTtlSeconds: config.sessionTtlSeconds,
              },
            });
      ready = true;
      const plane = new ControlPlane(
        { auth, trellis, system },
        callout,
        rpc,
        stateRpc,
        coreRpc,
        jobs,
        revoker,
        http,
        logger,
      );
      logger.info(
        { servers: config.nats.servers, http: plane.httpUrl, replicas: config.replicas },
        "control plane ready",
      );
      return ok(plane);
    } catch (error) {
      await closeAll();
      return err({ kind: "connection", message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** SIGTERM: stop taking callout requests and RPCs, let accepted ones answer, then close. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.logger.info({}, "control plane draining");
      await this.http?.stop();
      await Promise.allSettled([
        this.callout.drain(),
        this.rpc.drain(),
        this.stateRpc.drain(),
        this.coreRpc.drain(),
        this.jobs?.stop(),
      ]);
      await this.revoker.settled();
      await Promise.allSettled(Object.values(this.connections).map((nc) => nc.drain()));
      this.logger.info({}, "control plane stopped");
    })();
    return this.#stopping;
  }
}

function readSentinel(path: string) {
  try {
    return parseCredsText(readFileSync(path, "utf8")).mapErr((error): StartFailure => ({
      kind: "config",
      message: `${path}: ${error.message}`,
    }));
  } catch (error) {
    return err<StartFailure>({ kind: "config", message: `cannot read ${path}: ${String(error)}` });
  }
}
