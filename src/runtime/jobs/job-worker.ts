import type { NatsConnection } from "@nats-io/nats-core";
import * as v from "valibot";
import {
  err,
  JobEventSchema,
  ok,
  Result,
  type JobEvent,
  type Result as ResultType,
  type TrellisError,
  UnexpectedError,
} from "../../contracts/index.ts";
import type { Delivery } from "../events/pull-consumer.ts";
import type { Logger } from "../observability/logger.ts";
import { withRequestScope } from "../observability/request-scope.ts";
import type { Telemetry } from "../observability/telemetry.ts";
import { parseTraceparent } from "../observability/trace-context.ts";
import type { ValueCheck } from "../resources/value-check.ts";
import { settleHandler, type HandlerResult } from "../rpc/handler-result.ts";
import { decodeJson } from "../wire/json-body.ts";
import { activeJob } from "./active-job.ts";
import { backoffDelayMs, type JobQueueBinding } from "./job-binding.ts";
import { JobCancellations } from "./job-cancellations.ts";
import { ensureJobConsumer, jobConsumerSubjects } from "./job-consumer.ts";
import { errorText, jobEvent, type JobEventPublisher, type JobIdentity } from "./job-events.ts";
import { JobHeartbeats } from "./job-heartbeats.ts";
import { readJobLifecycle } from "./job-lifecycle-read.ts";
import { JobPull } from "./job-pull.ts";
import { JobRefHandle } from "./job-ref.ts";
import { JobRetryError } from "./job-retry-error.ts";
import type { ActiveJob } from "./job-types.ts";

/** §9: how long shutdown waits for interrupted handlers before abandoning them (unacked). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;

/** The handler as the worker runs it: the queue adds `client` and `deps`. */
export type WorkerHandler = (args: { payload: unknown; job: ActiveJob }) => HandlerResult<unknown>;

export type JobWorkerOptions = {
  nc: NatsConnection;
  binding: JobQueueBinding;
  handler: WorkerHandler;
  checkPayload: ValueCheck<unknown>;
  /** Undefined when the queue declares no result. */
  checkResult: ValueCheck<unknown> | undefined;
  publisher: JobEventPublisher;
  inboxPrefix: string;
  instanceId: string;
  version: string | undefined;
  timeoutMs: number;
  logger: Logger;
  telemetry: Telemetry;
  pullExpiresMs?: number;
  heartbeatIntervalMs?: number;
};

type Settle = { kind: "ack" } | { kind: "nak"; delayMs: number };
const ACK: Settle = { kind: "ack" };
const nakAfter = (delayMs: number): Settle => ({ kind: "nak", delayMs });

/**
 * One queue's worker in this instance: the canonical flow of jobs.md §8,
 * using only the consumer create/info, pull, ack and direct-get APIs §14
 * grants. `concurrency` slots each pull one message when free, so a
 * NAK-delayed job never holds a slot.
 */
export class JobWorker {
  readonly #options: JobWorkerOptions;
  readonly #cancellations: JobCancellations;
  readonly #heartbeats: JobHeartbeats;
  readonly #slots: JobPull[] = [];
  readonly #loops: Promise<void>[] = [];
  /** Messages in hand now (what shutdown waits for). */
  readonly #running = new Set<Promise<void>>();
  readonly #busy = new Set<JobPull>();
  #stopping = false;
  #abandoned = false;

  constructor(options: JobWorkerOptions) {
    this.#options = options;
    const { nc, binding, logger } = options;
    this.#cancellations = new JobCancellations(nc, binding.publishPrefix, logger);
    this.#heartbeats = new JobHeartbeats(
      nc,
      binding,
      options.instanceId,
      options.version,
      logger,
      options.heartbeatIntervalMs,
    );
  }

  /** Startup steps 2-3: the consumer, the cancellation subscriptions, heartbeats, then the slots. */
  async start(): Promise<ResultType<void, UnexpectedError>> {
    const { nc, binding, timeoutMs, inboxPrefix, logger } = this.#options;
    const ensured = await ensureJobConsumer(nc, binding, timeoutMs);
    if (ensured.isErr()) return err(ensured.error);
    this.#cancellations.start();
    const next = jobConsumerSubjects(binding).next;
    for (let slot = 0; slot < binding.settings.concurrency; slot++) {
      const pull = new JobPull(
        nc,
        next,
        inboxPrefix,
        logger,
        (stray) => pull.nak(stray), // step 2: nobody waits for it (stopping): NAK without delay
        this.#options.pullExpiresMs,
      );
      this.#slots.push(pull);
    }
    // The subscriptions are known to the server before the first pull or cancel can matter.
    try {
      for (const pull of this.#slots) pull.start();
      await nc.flush();
    } catch (cause) {
      this.#cancellations.stop();
      for (const pull of this.#slots) pull.close();
      return err(UnexpectedError.from(cause, { context: { reason: "job worker subscriptions failed" } }));
    }
    this.#heartbeats.start();
    for (const pull of this.#slots) this.#loops.push(this.#loop(pull));
    logger.info(
      { jobType: binding.jobType, consumer: binding.consumerName, concurrency: binding.settings.concurrency },
      "job worker started",
    );
    return ok(undefined);
  }

  wake(): void {
    for (const pull of this.#slots) pull.wake();
  }

  /**
   * §9: stop pulling; fire every token with reason `shutdown`; wait up to
   * `graceMs` for handlers (each NAKs its message without delay and
   * publishes nothing); abandon the rest unacked; unsubscribe, stop heartbeats.
   */
  async stop(graceMs: number = DEFAULT_SHUTDOWN_GRACE_MS): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    // An idle slot's inbox goes at once: the server drops a waiting pull nobody listens to, so a job
    // NAKed below is not handed straight back to this instance (each delivery counts towards maxDeliver).
    for (const pull of this.#slots) {
      if (this.#busy.has(pull)) pull.stop();
      else pull.close();
    }
    this.#cancellations.shutdown();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const overdue = new Promise<"overdue">((resolve) => (timer = setTimeout(() => resolve("overdue"), graceMs)));
    const finished = await Promise.race([Promise.allSettled([...this.#running]).then(() => "done" as const), overdue]);
    clearTimeout(timer);
    if (finished === "overdue") {
      this.#abandoned = true;
      this.#options.logger.warn(
        { jobType: this.#options.binding.jobType, running: this.#running.size, graceMs },
        "job handlers still running after the grace period; abandoned unacked",
      );
    }
    await Promise.race([Promise.allSettled(this.#loops), new Promise((resolve) => setTimeout(resolve, 0))]);
    this.#cancellations.stop();
    this.#heartbeats.stop();
    for (const pull of this.#slots) pull.close();
  }

  async #loop(pull: JobPull): Promise<void> {
    for (let delivery = await pull.next(); delivery !== undefined; delivery = await pull.next()) {
      this.#busy.add(pull);
      const work = this.#process(pull, delivery);
      this.#running.add(work);
      try {
        await work;
      } finally {
        this.#running.delete(work);
        this.#busy.delete(pull);
      }
    }
  }

  async #process(pull: JobPull, delivery: Delivery): Promise<void> {
    const settle = await this.#handle(pull, delivery).catch((error: unknown): Settle => {
      this.#options.logger.error({ error }, "job worker failed on a message; redelivery scheduled");
      return nakAfter(backoffDelayMs(this.#options.binding.settings, 1));
    });
    if (this.#abandoned) return;
    if (settle.kind === "ack") await pull.ack(delivery);
    else pull.nak(delivery, settle.delayMs);
  }

  async #handle(pull: JobPull, delivery: Delivery): Promise<Settle> {
    const { nc, binding, publisher, timeoutMs, logger } = this.#options;
    const { settings } = binding;
    const firstStep = backoffDelayMs(settings, 1);
    // Step 1: a created/retried event with a payload, of this queue; anything else is dropped.
    const work = parseWorkItem(delivery.msg.data, binding);
    if (work === undefined) {
      logger.warn({ subject: delivery.msg.subject, sequence: delivery.streamSequence }, "not a job work item; dropped");
      return ACK;
    }
    const log = { jobType: binding.jobType, jobId: work.jobId, delivery: delivery.delivered };
    // Step 2.
    if (this.#stopping) return nakAfter(0);
    // Step 3: settled jobs are acked unprocessed.
    const lifecycle = await readJobLifecycle(nc, binding.publishPrefix, work.jobId, timeoutMs);
    if (lifecycle.isErr()) {
      logger.warn({ ...log, error: lifecycle.error }, "job lifecycle read failed; redelivery scheduled");
      return nakAfter(firstStep);
    }
    if (lifecycle.value.settled !== undefined) {
      logger.debug({ ...log, state: lifecycle.value.settled.event.state }, "job already settled; acked unprocessed");
      return ACK;
    }
    const identity: JobIdentity = {
      jobId: work.jobId,
      service: binding.service,
      jobType: binding.jobType,
      context: Object.freeze({ ...work.context }),
      maxTries: settings.maxDeliver,
    };
    const tries = delivery.delivered;
    const publish = async (event: JobEvent): Promise<boolean> => {
      const published = await publisher.publish(event);
      if (published.isErr())
        logger.warn({ ...log, error: published.error, event: event.eventType }, "job lifecycle publish failed");
      return published.isOk();
    };
    // Step 4.
    const started = await publish(
      jobEvent(identity, "started", { previousState: lifecycle.value.state ?? "pending", tries }),
    );
    if (!started) return nakAfter(firstStep);
    // Step 5.
    const token = this.#cancellations.register(work.jobId);
    // Shutdown began between the pull and here: the handler starts interrupted rather than unannounced.
    if (this.#stopping) token.abort("shutdown");
    try {
      // Step 6.
      const payload = this.#options.checkPayload(work.payload, "/payload");
      if (payload.isErr()) {
        const failed = await publish(jobEvent(identity, "failed", { tries, error: errorText(payload.error) }));
        return failed ? ACK : nakAfter(firstStep);
      }
      const outcome = await this.#run(identity, payload.value, token, pull, delivery);
      // Step 7: a fired token settles without an outcome.
      if (token.signal.aborted) return token.signal.reason === "job" ? ACK : nakAfter(0);
      if (outcome.isOk()) {
        const result = this.#options.checkResult?.(outcome.value, "/result") ?? ok(outcome.value);
        if (result.isErr()) {
          const failed = await publish(jobEvent(identity, "failed", { tries, error: errorText(result.error) }));
          return failed ? ACK : nakAfter(firstStep);
        }
        const fields = result.value === undefined ? { tries } : { tries, result: result.value };
        return (await publish(jobEvent(identity, "completed", fields))) ? ACK : nakAfter(firstStep);
      }
      const error = errorText(outcome.error);
      if (!(outcome.error instanceof JobRetryError)) {
        return (await publish(jobEvent(identity, "failed", { tries, error }))) ? ACK : nakAfter(firstStep);
      }
      if (tries < settings.maxDeliver) {
        const retried = await publish(jobEvent(identity, "retry", { tries, error }));
        return retried ? nakAfter(backoffDelayMs(settings, tries)) : nakAfter(firstStep);
      }
      // The last attempt: NAK without delay lets the server dead-letter it (max deliveries advisory).
      if (!settings.dlq)
        return (await publish(jobEvent(identity, "failed", { tries, error }))) ? ACK : nakAfter(firstStep);
      return (await publish(jobEvent(identity, "retry", { tries, error }))) ? nakAfter(0) : nakAfter(firstStep);
    } finally {
      this.#cancellations.unregister(work.jobId);
    }
  }

  /** The handler in span `job.handle.<service>.<job-type>`, a child of the job's context. */
  async #run(
    identity: JobIdentity,
    payload: unknown,
    token: AbortController,
    pull: JobPull,
    delivery: Delivery,
  ): Promise<ResultType<unknown, TrellisError>> {
    const { nc, binding, publisher, timeoutMs, telemetry, handler } = this.#options;
    const span = telemetry.startSpan(`job.handle.${binding.service}.${binding.jobType}`, {
      kind: "consumer",
      parent: parseTraceparent(identity.context.traceparent, identity.context.tracestate),
      attributes: { "rpc.system": "nats", "messaging.destination": binding.workSubject },
    });
    const ref = new JobRefHandle<unknown>({ nc, binding, publisher, timeoutMs }, identity.jobId, identity.context);
    const job = activeJob({ identity, binding, payload, ref, token, delivery, pull, publisher });
    try {
      const outcome = await withRequestScope({ requestId: identity.context.requestId, trace: span.context }, () =>
        settleHandler(async () => {
          try {
            return await handler({ payload, job });
          } catch (thrown) {
            // A thrown JobRetryError is as retryable as a returned one.
            if (thrown instanceof JobRetryError) return Result.err(thrown);
            throw thrown;
          }
        }),
      );
      if (outcome.isErr()) span.recordError(outcome.error);
      return outcome;
    } finally {
      span.end();
    }
  }
}

/** The work body is the sourced `created`/`retried` event, with its payload (§4, §8 step 1). */
function parseWorkItem(data: Uint8Array, binding: JobQueueBinding): JobEvent | undefined {
  const body = decodeJson(data);
  if (body.isErr()) return undefined;
  const parsed = v.safeParse(JobEventSchema, body.value);
  if (!parsed.success) return undefined;
  const event = parsed.output;
  if (event.eventType !== "created" && event.eventType !== "retried") return undefined;
  if (event.service !== binding.service || event.jobType !== binding.jobType) return undefined;
  if (!("payload" in event) || event.payload === undefined) return undefined;
  return event;
}
