import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { ulid } from "ulid";
import {
  err,
  ok,
  RUNTIME_DEFAULTS,
  UnexpectedError,
  ValidationError,
  type NormalizedManifest,
  type ResolvedUses,
  type Result,
  type TrellisError,
} from "../../contracts/index.ts";
import {
  consumerBinding,
  consumerConfig,
  jobQueueBinding,
  newConsumerName,
  OPERATION_BUCKET_SETTINGS,
  operationStateBinding,
  type JobQueueBinding,
  type Logger,
} from "../../runtime/index.ts";
import { EVENTS_STREAM } from "../infra/definitions.ts";
import type { AuthStore } from "../store/auth-store.ts";
import { jobConsumerKey, resourceKey } from "../store/keys.ts";
import type { ResourceBinding, ResourceRecord } from "../store/records.ts";
import { ensureJobStreams, ensureStream, kvStreamConfig, storeStreamConfig } from "./resource-streams.ts";
import {
  eventConsumerSubjects,
  jobNamespaceSubjects,
  jobQueueSubjects,
  jobQueueSubscribeSubjects,
  kvSubjects,
  operationStateSubjects,
  storeSubjects,
} from "./resource-subjects.ts";

export type BindingPlan = { bindings: ResourceBinding[]; publishSubjects: string[]; subscribeSubjects: string[] };

type Kind = Exclude<ResourceRecord["kind"], "job" | "operationState">;
const PREFIX: Record<Kind, string> = { eventConsumer: "tr_cons_", kv: "tr_kv_", store: "tr_obj_" };
const su = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * Reconciliation at approval (spec README "Who creates what"): a service's
 * event-consumer groups (durable consumers on stream `trellis`), kv buckets
 * and object stores, in the TRELLIS account. Names are opaque and stable
 * for the deployment (`trellis_resources`), so a new digest reuses the
 * consumer and its cursor. `plan` computes the same bindings without
 * creating JetStream objects; it does reserve the names of new resources, so
 * the subjects a dry run shows are the ones the approval will grant.
 */
export class Reconciler {
  #jsm: Promise<JetStreamManager> | undefined;

  constructor(
    private readonly trellis: NatsConnection,
    private readonly store: AuthStore,
    private readonly replicas: number,
    private readonly logger: Logger,
  ) {}

  plan(deploymentId: string, manifest: NormalizedManifest, resolved: ResolvedUses) {
    return this.#run(deploymentId, manifest, resolved, false);
  }

  apply(deploymentId: string, manifest: NormalizedManifest, resolved: ResolvedUses) {
    return this.#run(deploymentId, manifest, resolved, true);
  }

  async #run(
    deploymentId: string,
    manifest: NormalizedManifest,
    resolved: ResolvedUses,
    create: boolean,
  ): Promise<Result<BindingPlan, TrellisError>> {
    try {
      const bindings: ResourceBinding[] = [];
      const publish: string[] = [];
      for (const [group, declaration] of Object.entries(manifest.eventConsumers ?? {})) {
        const subjects = consumerSubjects(manifest, resolved, declaration);
        // Every selected event sat behind an optional alias that did not resolve: nothing to consume yet.
        if (subjects.length === 0) continue;
        const name = await this.#name(deploymentId, "eventConsumer", group);
        if (name.isErr()) return err(name.error);
        const binding = consumerBinding(declaration, subjects, name.value);
        if (binding.isErr()) return err(binding.error);
        if (create) await this.#ensureConsumer(consumerConfig(binding.value));
        bindings.push({ kind: "eventConsumer", name: group, resource: name.value, binding: { ...binding.value } });
        publish.push(...eventConsumerSubjects(EVENTS_STREAM.name, name.value));
      }
      for (const [alias, kv] of Object.entries(manifest.resources?.kv ?? {})) {
        const name = await this.#name(deploymentId, "kv", alias);
        if (name.isErr()) return err(name.error);
        const options = {
          history: kv.history ?? RUNTIME_DEFAULTS.kv.history,
          ttlMs: kv.ttlMs ?? RUNTIME_DEFAULTS.kv.ttlMs,
          maxValueBytes: kv.maxValueBytes,
        };
        if (create) await ensureStream(await this.#manager(), kvStreamConfig(name.value, options, this.replicas));
        const binding = { bucket: name.value, history: options.history, ttlMs: options.ttlMs };
        bindings.push({
          kind: "kv",
          name: alias,
          resource: name.value,
          binding: options.maxValueBytes === undefined ? binding : { ...binding, maxValueBytes: options.maxValueBytes },
        });
        publish.push(...kvSubjects(name.value));
      }
      for (const [alias, store] of Object.entries(manifest.resources?.store ?? {})) {
        const name = await this.#name(deploymentId, "store", alias);
        if (name.isErr()) return err(name.error);
        const ttlMs = store.ttlMs ?? RUNTIME_DEFAULTS.store.ttlMs;
        if (create) {
          await ensureStream(
            await this.#manager(),
            storeStreamConfig(name.value, { ttlMs, maxTotalBytes: store.maxTotalBytes }, this.replicas),
          );
        }
        bindings.push({
          kind: "store",
          name: alias,
          resource: name.value,
          binding: {
            name: name.value,
            ttlMs,
            ...(store.maxTotalBytes === undefined ? {} : { maxTotalBytes: store.maxTotalBytes }),
            ...(store.maxObjectBytes === undefined ? {} : { maxObjectBytes: store.maxObjectBytes }),
          },
        });
        publish.push(...storeSubjects(name.value));
      }
      const subscribe: string[] = [];
      const queues = Object.entries(manifest.jobs ?? {});
      if (queues.length > 0 && create) await ensureJobStreams(await this.#manager(), this.replicas);
      for (const [queue, declaration] of queues) {
        const binding = jobBinding(deploymentId, queue, declaration);
        if (binding.isErr()) return err(binding.error);
        const claimed = await this.#claimJobConsumer(deploymentId, queue, binding.value.consumerName);
        if (claimed.isErr()) return err(claimed.error);
        bindings.push({
          kind: "job",
          name: queue,
          resource: binding.value.consumerName,
          binding: { ...binding.value },
        });
        publish.push(...jobQueueSubjects(binding.value));
        subscribe.push(...jobQueueSubscribeSubjects(binding.value));
      }
      if (queues.length > 0) publish.push(...jobNamespaceSubjects(deploymentId));
      if (Object.keys(manifest.operations ?? {}).length > 0) {
        // One bucket per service, named by the same namespace token as jobs (design/operations.md).
        const binding = operationStateBinding(deploymentId);
        if (create) {
          const options = { ...OPERATION_BUCKET_SETTINGS, maxValueBytes: undefined };
          await ensureStream(await this.#manager(), kvStreamConfig(binding.bucket, options, this.replicas));
        }
        bindings.push({
          kind: "operationState",
          name: "operations",
          resource: binding.bucket,
          binding: { ...binding },
        });
        publish.push(...operationStateSubjects(binding.bucket));
      }
      return ok({ bindings, publishSubjects: su(publish), subscribeSubjects: su(subscribe) });
    } catch (error) {
      this.logger.error({ deploymentId, contractId: manifest.id, error }, "reconciliation failed");
      return err(UnexpectedError.from(error, { context: { reason: "reconciliation failed", deploymentId } }));
    }
  }

  /** The lineage-stable name of a resource, minted once (create-if-absent, so replicas agree). */
  async #name(deploymentId: string, kind: Kind, name: string): Promise<Result<string, TrellisError>> {
    const key = resourceKey(deploymentId, kind, name);
    const existing = await this.store.resources.get(key);
    if (existing.isErr()) return err(new UnexpectedError({ context: { reason: existing.error.message } }));
    if (existing.value !== undefined) return ok(existing.value.value.resource);
    const candidate = kind === "eventConsumer" ? newConsumerName() : `${PREFIX[kind]}${ulid().toLowerCase()}`;
    const record: ResourceRecord = { kind, name, resource: candidate, createdAt: new Date().toISOString() };
    const created = await this.store.resources.create(key, record);
    if (created.isErr()) return err(new UnexpectedError({ context: { reason: created.error.message } }));
    if (created.value) {
      this.logger.info({ deploymentId, kind, name, resource: candidate }, "resource name minted");
      return ok(candidate);
    }
    return this.#name(deploymentId, kind, name);
  }

  /**
   * jobs.md §2: consumer names `<service>-<job-type>` must not collide
   * (`a-b` + `c` and `a` + `b-c` both make `a-b-c`). The first deployment
   * and queue to claim a name keep it (create-if-absent, so replicas agree);
   * anyone else is refused.
   */
  async #claimJobConsumer(
    deploymentId: string,
    queue: string,
    consumerName: string,
  ): Promise<Result<void, TrellisError>> {
    const key = jobConsumerKey(consumerName);
    const owner = `${deploymentId}/${queue}`;
    const record: ResourceRecord = {
      kind: "job",
      name: owner,
      resource: consumerName,
      createdAt: new Date().toISOString(),
    };
    const created = await this.store.resources.create(key, record);
    if (created.isErr()) return err(new UnexpectedError({ context: { reason: created.error.message } }));
    if (created.value) {
      // Listed with the deployment's other resources (`trellis svc <id> show`).
      const listed = await this.store.resources.create(resourceKey(deploymentId, "job", queue), {
        ...record,
        name: queue,
      });
      if (listed.isErr()) return err(new UnexpectedError({ context: { reason: listed.error.message } }));
      return ok(undefined);
    }
    const existing = await this.store.resources.get(key);
    if (existing.isErr()) return err(new UnexpectedError({ context: { reason: existing.error.message } }));
    if (existing.value === undefined) return this.#claimJobConsumer(deploymentId, queue, consumerName);
    if (existing.value.value.name === owner) return ok(undefined);
    return err(
      new ValidationError([
        {
          path: `/jobs/${queue}`,
          message: `job consumer name '${consumerName}' is already taken by ${existing.value.value.name.replace("/", " queue ")}: rename the queue or the deployment`,
        },
      ]),
    );
  }

  async #ensureConsumer(config: ReturnType<typeof consumerConfig>): Promise<void> {
    const jsm = await this.#manager();
    const name = config.durable_name ?? "";
    try {
      await jsm.consumers.info(EVENTS_STREAM.name, name);
      await jsm.consumers.update(EVENTS_STREAM.name, name, {
        filter_subjects: config.filter_subjects ?? [],
        ack_wait: config.ack_wait ?? 0,
        max_deliver: config.max_deliver ?? -1,
        max_ack_pending: config.max_ack_pending ?? 1,
      });
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
      // Without num_replicas a consumer follows its stream's replica count.
      await jsm.consumers.add(EVENTS_STREAM.name, config);
    }
  }

  #manager(): Promise<JetStreamManager> {
    this.#jsm ??= jetstreamManager(this.trellis, { checkAPI: false });
    return this.#jsm;
  }
}

/** The filter subjects of a group: own events by name, and used events through their resolved alias. */
function consumerSubjects(
  manifest: NormalizedManifest,
  resolved: ResolvedUses,
  declaration: NonNullable<NormalizedManifest["eventConsumers"]>[string],
): string[] {
  const subjects: string[] = [];
  for (const name of declaration.self ?? []) {
    const event = manifest.events?.[name];
    if (event !== undefined) subjects.push(event.subject);
  }
  for (const [alias, names] of Object.entries(declaration.uses ?? {})) {
    const use = resolved.uses.find((candidate) => candidate.alias === alias);
    for (const name of names) {
      const event = use?.eventsSubscribe.find((candidate) => candidate.name === name);
      if (event !== undefined) subjects.push(event.descriptor.subject);
    }
  }
  return subjects;
}

/** The deployment id is the jobs namespace token (design/jobs.md); `workers` is reserved for heartbeats. */
function jobBinding(
  deploymentId: string,
  queue: string,
  declaration: NonNullable<NormalizedManifest["jobs"]>[string],
): Result<JobQueueBinding, ValidationError> {
  const { payload: _payload, result: _result, docs: _docs, ...settings } = declaration;
  return jobQueueBinding(deploymentId, queue, settings).mapErr(
    (error) =>
      new ValidationError(
        error.issues.map((issue) =>
          issue.path === "/service"
            ? { path: "/jobs", message: `deployment '${deploymentId}' cannot own job queues: ${issue.message}` }
            : issue,
        ),
      ),
  );
}
