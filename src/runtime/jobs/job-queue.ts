import type { NatsConnection } from "@nats-io/nats-core";
import {
  AsyncResult,
  err,
  ok,
  ValidationError,
  type Result,
  type TransportError,
  type UnexpectedError,
} from "../../contracts/index.ts";
import type { RuntimeContract } from "../facade/contract-shape.ts";
import type { Registration, RegistrationError } from "../facade/service-facade.ts";
import type { Logger } from "../observability/logger.ts";
import { currentRequestScope } from "../observability/request-scope.ts";
import type { Telemetry } from "../observability/telemetry.ts";
import type { TraceContext } from "../observability/trace-context.ts";
import { moduleSchema } from "../resources/module-schema.ts";
import { valueCheck, type ValueCheck } from "../resources/value-check.ts";
import { newRequestId } from "../wire/request-id.ts";
import { checkJobBinding, type JobQueueBinding } from "./job-binding.ts";
import { newJobContext } from "./job-context.ts";
import { jobEvent, JobEventPublisher } from "./job-events.ts";
import { JobRefHandle } from "./job-ref.ts";
import type { JobCreateOptions, JobHandler, JobQueue, JobRef } from "./job-types.ts";
import { JobWorker } from "./job-worker.ts";
import type { JobWorkers } from "./job-workers.ts";

/** What every queue of one service shares. */
export type JobQueueContext = {
  nc: NatsConnection;
  contract: RuntimeContract;
  workers: JobWorkers;
  inboxPrefix: string;
  /** Unique per live process (§2); names this instance's worker heartbeats. */
  instanceId: string;
  version: string | undefined;
  timeoutMs: number;
  logger: Logger;
  telemetry: Telemetry;
  clientFor(trace: TraceContext | undefined): unknown;
  pullExpiresMs?: number;
  heartbeatIntervalMs?: number;
};

type AnyJobQueue = JobQueue<unknown, unknown, unknown, unknown>;

/**
 * `service.jobs.<queue>` over its binding (jobs.md §5, §8): `create`
 * validates and publishes `created`, `handle` starts this instance's
 * worker. `deps` is what the handle's `with(deps)` passed.
 */
export function jobQueue(
  context: JobQueueContext,
  queue: string,
  binding: JobQueueBinding,
  deps: unknown,
): AnyJobQueue {
  const { nc, contract, timeoutMs } = context;
  const declaration = contract.CONTRACT.jobs?.[queue];
  const schemaOf = (name: string | undefined): ValueCheck<unknown> | undefined =>
    name === undefined ? undefined : valueCheck(moduleSchema(contract, name), contract.CONTRACT, name);
  const checkPayload: ValueCheck<unknown> = schemaOf(declaration?.payload.schema) ?? ((value) => ok(value));
  const checkResult = schemaOf(declaration?.result?.schema);
  const publisher = new JobEventPublisher(nc, timeoutMs);
  const refDeps = { nc, binding, publisher, timeoutMs };

  const create = (
    payload: unknown,
    options: JobCreateOptions = {},
  ): AsyncResult<JobRef<unknown>, ValidationError | TransportError | UnexpectedError> => {
    const checked = checkPayload(payload, "/payload");
    if (checked.isErr()) return AsyncResult.err(checked.error);
    const deadlineMs = options.deadlineMs ?? binding.settings.defaultDeadlineMs;
    if (deadlineMs !== undefined && (!Number.isSafeInteger(deadlineMs) || deadlineMs < 1)) {
      return AsyncResult.err(new ValidationError([{ path: "/deadlineMs", message: "must be an integer ≥ 1" }]));
    }
    const jobId = newRequestId();
    const jobContext = newJobContext();
    const identity = {
      jobId,
      service: binding.service,
      jobType: binding.jobType,
      context: jobContext,
      maxTries: binding.settings.maxDeliver,
    };
    const fields =
      deadlineMs === undefined
        ? { tries: 0, payload: checked.value }
        : { tries: 0, payload: checked.value, deadline: new Date(Date.now() + deadlineMs).toISOString() };
    return new AsyncResult(
      publisher
        .publish(jobEvent(identity, "created", fields))
        .then((published): Result<JobRef<unknown>, UnexpectedError> =>
          published.isErr() ? err(published.error) : ok(new JobRefHandle(refDeps, jobId, jobContext)),
        ),
    );
  };

  const handle = (handler: JobHandler<unknown, unknown, unknown, unknown>): Registration => {
    const checked = checkJobBinding(queue, binding);
    if (checked.isErr()) return AsyncResult.err(checked.error);
    const worker = new JobWorker({
      nc,
      binding,
      handler: ({ payload, job }) => {
        let client: unknown;
        return handler({
          payload,
          job,
          deps,
          // Built lazily, continuing the job's span (the request scope the worker runs the handler in).
          get client() {
            return (client ??= context.clientFor(currentRequestScope()?.trace));
          },
        });
      },
      checkPayload,
      checkResult,
      publisher,
      inboxPrefix: context.inboxPrefix,
      instanceId: context.instanceId,
      version: context.version,
      timeoutMs,
      logger: context.logger.child({ jobType: queue }),
      telemetry: context.telemetry,
      pullExpiresMs: context.pullExpiresMs,
      heartbeatIntervalMs: context.heartbeatIntervalMs,
    });
    const claimed = context.workers.claim(queue, worker);
    if (claimed.isErr()) return AsyncResult.err(claimed.error);
    return new AsyncResult(
      worker.start().then((started): Result<void, RegistrationError> => {
        if (started.isErr()) context.workers.release(queue, worker);
        return started;
      }),
    );
  };

  return Object.freeze({ create, handle }) as AnyJobQueue;
}
