import { JOBS_STREAM } from "../../contracts/index.ts";
import { jobConsumerSubjects, pullSubjects, type JobQueueBinding } from "../../runtime/index.ts";

/**
 * The exact subjects a service needs for each materialized resource
 * (auth.md §5: "the exact subjects of its materialized resource bindings").
 * Everything is scoped to one stream or consumer; nothing here is a broad
 * `$JS.API.>` grant. Deliveries and API replies arrive on the session's
 * inbox, which every session already subscribes.
 */

/** A pull consumer on the events stream: fetch and ack, no info requests (the runtime never asks). */
export function eventConsumerSubjects(stream: string, consumer: string): string[] {
  const { next, ack } = pullSubjects(stream, consumer);
  return [next, ack];
}

/** A KV bucket: writes, direct and leader gets, status, and ordered consumers for watch/keys. */
export function kvSubjects(bucket: string): string[] {
  const stream = `KV_${bucket}`;
  return [
    `$KV.${bucket}.>`,
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    `$JS.ACK.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}

/** An object store: chunks and metadata, purge of one object's chunks, and ordered consumers for reads and lists. */
export function storeSubjects(name: string): string[] {
  const stream = `OBJ_${name}`;
  return [
    `$O.${name}.>`,
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.STREAM.PURGE.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    `$JS.ACK.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}

/**
 * A service's jobs namespace (jobs.md §14), once for all its queues:
 * lifecycle events and heartbeats under its own `<service>`, and
 * subject-form direct gets of its own job subjects only (no body-form get).
 */
export function jobNamespaceSubjects(service: string): string[] {
  return [
    `trellis.jobs.${service}.>`,
    `trellis.jobs.workers.${service}.>`,
    `$JS.API.DIRECT.GET.${JOBS_STREAM}.trellis.jobs.${service}.>`,
  ];
}

/** One queue (§14): its consumer's filtered create, info, pulls and acks; never stream APIs or durable create. */
export function jobQueueSubjects(binding: JobQueueBinding): string[] {
  const { create, info, next, ack } = jobConsumerSubjects(binding);
  return [create, info, next, ack];
}

/** One queue's lifecycle events (cancellations reach the worker, `wait()` sees the outcome). */
export function jobQueueSubscribeSubjects(binding: JobQueueBinding): string[] {
  return [`${binding.publishPrefix}.*.*`];
}

/**
 * The operation-state bucket (operations.md §4, §6): writes (create and
 * compare-and-set are publishes with an expected sequence), direct gets,
 * and the ordered consumers of the live feeds (`evt.<id>.>`, `sig.<id>.>`):
 * create with a filter, delete, info, flow control. No stream info, message
 * get or purge: the runtime asks for none of them.
 */
export function operationStateSubjects(bucket: string): string[] {
  const stream = `KV_${bucket}`;
  return [
    `$KV.${bucket}.>`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}
