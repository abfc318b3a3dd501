import { jetstreamManager, type JetStreamManager, type StoredMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import * as v from "valibot";
import { JobEventSchema, jobEventSubject, type JobEvent, type JobEventType } from "../../../src/contracts/index.ts";
import {
  createLogger,
  jobQueueBinding,
  TrellisService,
  type JobQueueBinding,
  type JobWorkerOptions,
} from "../../../src/runtime/index.ts";
import { worker } from "../fixtures/job-contracts.ts";
import { RuntimeEnv } from "../support/runtime-env.ts";

export const quiet = createLogger({ level: "silent" });
export type WorkerService = TrellisService<typeof worker>;

/** A stored lifecycle event with its headers. */
export type StoredEvent = { event: JobEvent; subject: string; seq: number; headers: Record<string, string> };

/**
 * One nats-server with the jobs streams, and services of `acme.worker@v1`
 * bound as the control plane would bind namespace `svc` (or another).
 */
export class JobEnv {
  private constructor(
    readonly env: RuntimeEnv,
    readonly raw: NatsConnection,
    readonly jsm: JetStreamManager,
  ) {}

  static async start(): Promise<JobEnv> {
    const env = await RuntimeEnv.start({ jobs: true });
    const raw = await env.connectRaw();
    return new JobEnv(env, raw, await jetstreamManager(raw));
  }

  bindings(service = "svc"): Record<"crunch" | "note", JobQueueBinding> {
    const bind = (queue: "crunch" | "note") => jobQueueBinding(service, queue, worker.CONTRACT.jobs![queue]!).orThrow();
    return { crunch: bind("crunch"), note: bind("note") };
  }

  async service(
    options: { service?: string; jobs?: JobWorkerOptions; bindings?: Record<string, JobQueueBinding> } = {},
  ) {
    const principal = await this.env.principal("worker", ["service"]);
    return (
      await TrellisService.fromConnection({
        nc: principal.nc,
        contract: worker,
        name: "worker",
        keys: principal.keys,
        authenticator: this.env.authenticator,
        logger: quiet,
        bindings: { jobs: options.bindings ?? this.bindings(options.service) },
        health: { heartbeat: false },
        jobs: { shutdownGraceMs: 3000, pullExpiresMs: 1000, ...options.jobs },
      })
    ).orThrow();
  }

  /** Every lifecycle event of a job in `JOBS` order. */
  async events(jobId: string, service = "svc"): Promise<StoredEvent[]> {
    const info = await this.jsm.streams.info("JOBS");
    const out: StoredEvent[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg: StoredMsg | null = await this.jsm.streams.getMessage("JOBS", { seq }).catch(() => null);
      if (msg === null || msg.subject.split(".")[4] !== jobId || !msg.subject.startsWith(`trellis.jobs.${service}.`))
        continue;
      const headers: Record<string, string> = {};
      for (const [name, values] of msg.header ?? []) headers[name] = values[0] ?? "";
      out.push({ event: v.parse(JobEventSchema, msg.json()), subject: msg.subject, seq, headers });
    }
    return out;
  }

  async types(jobId: string, service = "svc"): Promise<JobEventType[]> {
    return (await this.events(jobId, service)).map((stored) => stored.event.eventType);
  }

  /** Polls until `check` holds (the worker runs asynchronously); fails with what it last saw. */
  async until<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    let value = await read();
    while (!check(value)) {
      if (Date.now() > end) throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await read();
    }
    return value;
  }

  /** Publishes a lifecycle event as someone else would (the admin runtime, a canceller). */
  async publish(event: JobEvent): Promise<void> {
    await this.raw.request(
      jobEventSubject(event.service, event.jobType, event.jobId, event.eventType),
      JSON.stringify(event),
      {
        timeout: 2000,
      },
    );
  }

  /** Work items of one namespace still in JOBS_WORK (workqueue: acked ones are gone). */
  async workItems(service: string): Promise<number> {
    const info = await this.jsm.streams.info("JOBS_WORK", { subjects_filter: `trellis.work.${service}.*` });
    return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
  }

  stop(): Promise<void> {
    return this.env.stop();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `Promise.withResolvers`, which Node.js 20 does not have. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
