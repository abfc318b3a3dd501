import type { NatsConnection } from "@nats-io/nats-core";
import { workerHeartbeatSubject, type WorkerHeartbeat } from "../../contracts/index.ts";
import type { Logger } from "../observability/logger.ts";
import type { JobQueueBinding } from "./job-binding.ts";

/** jobs.md §13: at startup and every 30 s. */
export const WORKER_HEARTBEAT_INTERVAL_MS = 30_000;

/**
 * A worker's presence for one queue: plain publishes (stored in `JOBS`,
 * no PubAck awaited) on `trellis.jobs.workers.<service>.<job-type>.<instance>.heartbeat`.
 * Passive only: never changes job state.
 */
export class JobHeartbeats {
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly binding: JobQueueBinding,
    private readonly instanceId: string,
    private readonly version: string | undefined,
    private readonly logger: Logger,
    private readonly intervalMs: number = WORKER_HEARTBEAT_INTERVAL_MS,
  ) {}

  start(): void {
    this.#beat();
    this.#timer = setInterval(() => this.#beat(), this.intervalMs);
    // A worker's heartbeat never keeps a process alive on its own.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #beat(): void {
    const { service, jobType, settings } = this.binding;
    const heartbeat: WorkerHeartbeat = {
      service,
      jobType,
      instanceId: this.instanceId,
      concurrency: settings.concurrency,
      timestamp: new Date().toISOString(),
      ...(this.version === undefined ? {} : { version: this.version }),
    };
    try {
      this.nc.publish(workerHeartbeatSubject(service, jobType, this.instanceId), JSON.stringify(heartbeat));
    } catch (error) {
      this.logger.warn({ error, jobType }, "worker heartbeat not published");
    }
  }
}
