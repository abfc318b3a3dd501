import * as v from "valibot";

/**
 * Bootstrap reply bodies (auth.md §3), as the runtime reads them. Wire
 * schemas are open: unknown members are ignored (valibot's `object` drops
 * them), so a newer control plane can add fields.
 */
const Servers = v.object({ natsServers: v.array(v.string()) });

export const ConnectInfoSchema = v.object({
  sessionKey: v.string(),
  contractId: v.string(),
  contractDigest: v.string(),
  transports: v.object({ native: v.optional(Servers), websocket: v.optional(Servers) }),
  transport: v.object({
    inboxPrefix: v.optional(v.string()),
    sentinel: v.object({ jwt: v.string(), seed: v.string() }),
  }),
  auth: v.optional(v.object({ mode: v.literal("service_identity"), iatSkewSeconds: v.number() })),
});
export type ConnectInfo = v.InferOutput<typeof ConnectInfoSchema>;

const EventConsumerBindingSchema = v.object({
  stream: v.string(),
  consumerName: v.string(),
  filterSubjects: v.array(v.string()),
  replay: v.picklist(["new", "all"]),
  ordering: v.literal("strict"),
  concurrency: v.number(),
  ackWaitMs: v.number(),
  maxDeliver: v.number(),
  backoffMs: v.array(v.number()),
});

/** runtime-wire.md §6: `{ bucket, history, ttlMs, maxValueBytes? }`. */
export const KvBindingSchema = v.object({
  bucket: v.string(),
  history: v.number(),
  ttlMs: v.number(),
  maxValueBytes: v.optional(v.number()),
});
export type KvBinding = v.InferOutput<typeof KvBindingSchema>;

/** runtime-wire.md §6: `{ name, ttlMs, maxTotalBytes?, maxObjectBytes? }`. */
export const StoreBindingSchema = v.object({
  name: v.string(),
  ttlMs: v.number(),
  maxTotalBytes: v.optional(v.number()),
  maxObjectBytes: v.optional(v.number()),
});
export type StoreBinding = v.InferOutput<typeof StoreBindingSchema>;

/** jobs.md §2: one job queue's names and §6 settings (defaults applied by the control plane). */
export const JobQueueBindingSchema = v.object({
  service: v.string(),
  jobType: v.string(),
  publishPrefix: v.string(),
  workSubject: v.string(),
  consumerName: v.string(),
  workStream: v.string(),
  settings: v.object({
    maxDeliver: v.number(),
    backoffMs: v.array(v.number()),
    ackWaitMs: v.number(),
    defaultDeadlineMs: v.optional(v.number()),
    progress: v.boolean(),
    logs: v.boolean(),
    dlq: v.boolean(),
    concurrency: v.number(),
  }),
});

/** operations.md §4: the service's operation-state bucket (one per service, not per operation). */
export const OperationStateBindingSchema = v.object({ service: v.string(), bucket: v.string() });

export const ServiceBindingSchema = v.object({
  eventConsumers: v.optional(v.record(v.string(), EventConsumerBindingSchema), {}),
  kv: v.optional(v.record(v.string(), KvBindingSchema), {}),
  store: v.optional(v.record(v.string(), StoreBindingSchema), {}),
  jobs: v.optional(v.record(v.string(), JobQueueBindingSchema), {}),
  operations: v.optional(OperationStateBindingSchema),
});
export type ServiceBindingInfo = v.InferOutput<typeof ServiceBindingSchema>;

/** Every reply (success or refusal) may carry `serverNow`; refusals carry `reason`. */
export const BootstrapReplySchema = v.object({
  status: v.optional(v.string()),
  reason: v.optional(v.string()),
  serverNow: v.optional(v.number()),
  connectInfo: v.optional(ConnectInfoSchema),
  binding: v.optional(ServiceBindingSchema),
});
