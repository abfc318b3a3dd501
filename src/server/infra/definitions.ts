import { jobStreamConfigs, type JobStreamConfig } from "../../contracts/index.ts";
import { REPLAY_BUCKET, REPLAY_TTL_SECONDS } from "../../runtime/index.ts";

/**
 * Everything `trellis infra apply` creates and `trellis infra check` checks:
 * the single source of truth for design/state-buckets.md. Auth state lives in
 * the AUTH account, so no grant a service could ever hold in TRELLIS reaches
 * it; the events stream lives in TRELLIS, where services publish. The one
 * exception is the replay cache: services claim replay keys themselves on
 * the authentication fast path, so it lives in TRELLIS too, where they may
 * publish claims and nothing else (design/runtime.md "Request authentication").
 */

export type InfraAccount = "auth" | "trellis";

export type BucketDefinition = {
  kind: "kv";
  account: InfraAccount;
  name: string;
  /** Seconds; 0 = entries never expire. */
  ttlSeconds: number;
  history: number;
  keys: string;
  purpose: string;
};

export type StreamDefinition = {
  kind: "stream";
  account: InfraAccount;
  name: string;
  subjects: string[];
  duplicateWindowSeconds: number;
  purpose: string;
  /** A stream that is not a plain limits stream (the jobs streams of jobs.md §4): its exact config, replicas aside. */
  config?: JobStreamConfig;
};

export type InfraDefinition = BucketDefinition | StreamDefinition;

const HOUR = 3600;

/** The replay cache must hold a key until max(now, iat) + 30 s (see the runtime's replay-bucket.ts). */
export { REPLAY_TTL_SECONDS };
export const PRESENCE_TTL_SECONDS = 2 * HOUR;
export const DENIAL_TTL_SECONDS = HOUR;

const kv = (
  name: string,
  ttlSeconds: number,
  keys: string,
  purpose: string,
  account: InfraAccount = "auth",
): BucketDefinition => ({
  kind: "kv",
  account,
  name,
  ttlSeconds,
  history: 1,
  keys,
  purpose,
});

export const BUCKETS = {
  users: kv("trellis_users", 0, "<userId>", "User records of operator-approved app/agent sessions (auth.md §6.1)"),
  deployments: kv("trellis_deployments", 0, "<deploymentId>", "ServiceDeployment records"),
  instances: kv(
    "trellis_instances",
    0,
    "<sessionKey>",
    "ServiceInstance records, keyed by session key: the callout's first lookup",
  ),
  approvals: kv(
    "trellis_approvals",
    0,
    "svc.<deploymentId>.<contractDigest> | usr.<userId>.<approvalId>",
    "ApprovalRecords with the stored grant (and resource-binding subjects)",
  ),
  sessions: kv("trellis_sessions", 0, "<sessionKey>", "Sessions; services' are created by the callout on connect"),
  contracts: kv(
    "trellis_contracts",
    0,
    "<contractDigest>",
    "Canonical manifests of every digest ever approved (bootstrap, device refusal, inspection)",
  ),
  resources: kv(
    "trellis_resources",
    0,
    "<deploymentId>.<eventConsumer|kv|store>.<name>",
    "Opaque names of materialized resources (tr_cons_/tr_kv_/tr_obj_ + ULID), stable for the deployment",
  ),
  replay: kv(
    REPLAY_BUCKET,
    REPLAY_TTL_SECONDS,
    "base64url(SHA-256(sessionKey:requestId))",
    "Replay cache shared by Validate and every service's fast path (claims only: expected last subject sequence 0)",
    "trellis",
  ),
  connections: kv(
    "trellis_connections",
    PRESENCE_TTL_SECONDS,
    "<sessionKey>.<userId|instanceId>.<user_nkey>",
    "Presence of callout-admitted connections: {serverId, clientId, connectedAt}; revocation kicks these",
  ),
  denials: kv(
    "trellis_denials",
    DENIAL_TTL_SECONDS,
    "sk.<sessionKey> | host.<client IP, [^A-Za-z0-9-] → _>",
    "The last connect denial with its reason code (clients only see Authorization Violation)",
  ),
  state: kv(
    "trellis_state",
    0,
    "<ownerType>.<ownerKey>.<contractId>.<store>.<leaf> (runtime-wire.md §6)",
    "State stores of users and devices, served by trellis.state@v1",
  ),
} as const satisfies Record<string, BucketDefinition>;

export type BucketName = keyof typeof BUCKETS;

export const EVENTS_STREAM: StreamDefinition = {
  kind: "stream",
  account: "trellis",
  name: "trellis",
  subjects: ["events.>"],
  duplicateWindowSeconds: 120,
  purpose: "Every event of every contract (runtime-wire.md §3); the duplicate window drops a repeated Nats-Msg-Id",
};

const [jobs, work, advisories] = jobStreamConfigs(1);
const jobStream = (config: JobStreamConfig, purpose: string): StreamDefinition => ({
  kind: "stream",
  account: "trellis",
  name: config.name,
  subjects: config.subjects,
  duplicateWindowSeconds: 120,
  purpose,
  config,
});

/**
 * The jobs streams (jobs.md §4) live in TRELLIS beside the events stream:
 * services publish lifecycle events, read them with direct gets and pull
 * their work there, each on exactly its own subjects (§14).
 */
export const JOB_STREAMS: readonly StreamDefinition[] = [
  jobStream(jobs, "Every job lifecycle event and worker heartbeat: the jobs source of truth (jobs.md §4-§5)"),
  jobStream(work, "Work items: created and retried events sourced from JOBS, one workqueue consumer per queue"),
  jobStream(
    advisories,
    "Max-deliveries advisories of JOBS_WORK consumers, for the jobs admin runtime's dead-lettering",
  ),
];

/** Everything, in the order apply creates it and check reports it (JOBS before JOBS_WORK, which sources it). */
export const INFRA_DEFINITIONS: readonly InfraDefinition[] = [EVENTS_STREAM, ...JOB_STREAMS, ...Object.values(BUCKETS)];

/** Buckets and streams the spec reserves for later releases (browser login); v1 neither creates nor checks them. */
export const RESERVED_BUCKETS = ["trellis_oauth_states", "trellis_pending_auth", "trellis_browser_flows"] as const;
