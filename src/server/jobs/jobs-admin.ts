import type { NatsConnection } from "@nats-io/nats-core";
import { ulid } from "ulid";
import { err, jobsContract, ok, type Result } from "../../contracts/index.ts";
import {
  FeedServer,
  JobEventPublisher,
  RpcServer,
  type Logger,
  type RequestAuthenticator,
} from "../../runtime/index.ts";

/** How long a lifecycle publish waits for its PubAck. */
const PUBLISH_TIMEOUT_MS = 5000;
import type { JobsSettings } from "../config/load-config.ts";
import { advisoryLoop } from "./advisory-consumer.ts";
import type { DurableLoop, LoopStatus } from "./durable-loop.ts";
import { purgeHeartbeats } from "./heartbeat-purge.ts";
import { sweepExpired } from "./janitor.ts";
import { JobMutations } from "./job-mutations.ts";
import { JobReads } from "./job-reads.ts";
import { JobRows } from "./job-rows.ts";
import { openJobsDb, type JobsDb } from "./jobs-db.ts";
import { jobsHealth, type JobsRole } from "./jobs-health.ts";
import { serveTail } from "./jobs-tail.ts";
import { mountJobs } from "./mount-jobs.ts";
import { DEFAULT_LEASE_MS, OwnerLease } from "./ownership.ts";
import { presenceLoop } from "./presence-projector.ts";
import { PresenceRows } from "./presence-rows.ts";
import { projectorLoop } from "./projector.ts";

export type JobsAdminOptions = {
  /** The control plane's TRELLIS connection (no permission limits: `JOBS*` and `trellis.jobs.>`). */
  nc: NatsConnection;
  settings: Omit<JobsSettings, "mode"> & { mode: "owner" | "rpc-only"; leaseMs?: number };
  authenticator: RequestAuthenticator;
  logger: Logger;
};

type OwnerWork = { loops: Record<string, DurableLoop>; timers: ReturnType<typeof setInterval>[] };

/**
 * The jobs admin runtime (jobs.md §10-§13) inside the control plane: the
 * SQLite projection, `trellis.jobs@v1` on every replica, and, on the one
 * replica holding the database's owner lease, the projector, presence and
 * advisory loops, the janitor and the heartbeat purge. Processing of jobs
 * never depends on it: `JOBS` is the truth and this is a view of it.
 */
export class JobsAdmin {
  readonly #options: JobsAdminOptions;
  readonly #db: JobsDb;
  readonly #rows: JobRows;
  readonly #presence: PresenceRows;
  readonly #publisher: JobEventPublisher;
  readonly #rpc: RpcServer;
  readonly #feeds: FeedServer;
  readonly #lease: OwnerLease | undefined;
  readonly #logger: Logger;
  #leaseTimer: ReturnType<typeof setInterval> | undefined;
  #owner: OwnerWork | undefined;
  #stopping: Promise<void> | undefined;

  private constructor(options: JobsAdminOptions, db: JobsDb) {
    this.#options = options;
    this.#db = db;
    this.#logger = options.logger;
    this.#rows = new JobRows(db);
    this.#presence = new PresenceRows(db);
    this.#publisher = new JobEventPublisher(options.nc, PUBLISH_TIMEOUT_MS);
    const contract = jobsContract();
    const server = {
      contractId: contract.CONTRACT.id,
      contractDigest: contract.CONTRACT_DIGEST,
      serviceName: "trellis",
      authenticator: options.authenticator,
      logger: options.logger,
    };
    this.#rpc = new RpcServer(options.nc, server);
    this.#feeds = new FeedServer(options.nc, { ...server, inboxPrefix: "_INBOX" });
    this.#lease =
      options.settings.mode === "owner"
        ? new OwnerLease(db, ulid(), options.settings.leaseMs ?? DEFAULT_LEASE_MS)
        : undefined;
  }

  /** Opens the database and serves the RPCs; an `owner` then competes for the lease. */
  static start(options: JobsAdminOptions): Result<JobsAdmin, string> {
    const db = openJobsDb(options.settings.dbPath);
    if (db.isErr()) return err(db.error);
    const admin = new JobsAdmin(options, db.value);
    const mounted = mountJobs(admin.#rpc, admin.#feeds, {
      reads: new JobReads(admin.#rows, admin.#presence),
      mutations: new JobMutations(admin.#rows, admin.#publisher),
      health: () => jobsHealth({ db: admin.#db, nc: options.nc, role: admin.role, loops: admin.#loopStatuses() }),
      tail: (input, emit, signal) => serveTail(options.nc, input, emit, signal, admin.#logger),
    });
    if (mounted.isErr()) {
      db.value.close();
      return err(mounted.error.message);
    }
    if (admin.#lease !== undefined) {
      admin.#checkLease();
      const leaseMs = options.settings.leaseMs ?? DEFAULT_LEASE_MS;
      admin.#leaseTimer = setInterval(() => admin.#checkLease(), Math.max(50, Math.floor(leaseMs / 3)));
    }
    options.logger.info({ role: admin.role, db: options.settings.dbPath }, "jobs admin runtime started");
    return ok(admin);
  }

  get role(): JobsRole {
    if (this.#lease === undefined) return "rpc-only";
    return this.#owner === undefined ? "standby" : "owner";
  }

  /** The projection's rows, for tests and the control plane's own checks. */
  get rows(): JobRows {
    return this.#rows;
  }

  /** Stops the RPCs and feeds, then the loops; gives the lease up and closes the database. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (this.#leaseTimer !== undefined) clearInterval(this.#leaseTimer);
      await Promise.allSettled([this.#rpc.drain(), this.#feeds.stop()]);
      await this.#stopOwning();
      this.#lease?.release();
      this.#db.close();
    })();
    return this.#stopping;
  }

  #checkLease(): void {
    if (this.#stopping !== undefined || this.#lease === undefined) return;
    let held: boolean;
    try {
      held = this.#lease.tryAcquire();
    } catch (error) {
      this.#logger.warn({ error }, "jobs owner lease check failed");
      held = false;
    }
    if (held && this.#owner === undefined) this.#startOwning();
    else if (!held && this.#owner !== undefined) {
      this.#logger.warn({ holder: this.#lease.holder()?.instanceId }, "jobs owner lease lost; standing by");
      void this.#stopOwning();
    }
  }

  #startOwning(): void {
    const { nc, settings } = this.#options;
    const logger = this.#logger;
    const loops = {
      projector: projectorLoop(nc, this.#rows, logger),
      presence: presenceLoop(nc, this.#presence, logger),
      advisories: advisoryLoop(nc, { rows: this.#rows, publisher: this.#publisher }, logger),
    };
    for (const loop of Object.values(loops)) loop.start();
    const janitor = { rows: this.#rows, publisher: this.#publisher, logger: logger.child({ loop: "janitor" }) };
    const purge = { presence: this.#presence, logger: logger.child({ loop: "heartbeat-purge" }) };
    const timers = [
      setInterval(() => {
        if (loops.projector.caughtUp) {
          void sweepExpired(janitor).catch((error) => janitor.logger.warn({ error }, "sweep failed"));
        }
      }, settings.janitorIntervalMs),
      setInterval(
        () => void purgeHeartbeats(nc, purge).catch((error) => purge.logger.warn({ error }, "purge failed")),
        settings.heartbeatPurgeIntervalMs,
      ),
    ];
    this.#owner = { loops, timers };
    logger.info(
      { instanceId: this.#lease?.instanceId },
      "jobs owner: projector, presence, advisories, janitor running",
    );
  }

  async #stopOwning(): Promise<void> {
    const owner = this.#owner;
    if (owner === undefined) return;
    this.#owner = undefined;
    for (const timer of owner.timers) clearInterval(timer);
    await Promise.allSettled(Object.values(owner.loops).map((loop) => loop.stop()));
  }

  #loopStatuses(): Record<string, LoopStatus> {
    if (this.#owner === undefined) return {};
    return Object.fromEntries(Object.entries(this.#owner.loops).map(([name, loop]) => [name, loop.status]));
  }
}
