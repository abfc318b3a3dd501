// Public surface of the runtime library (`@trellis/runtime`). Contract
// authoring, Result and the error model come from the contract model, so a
// service needs only this one import.
export {
  AsyncResult,
  AuthError,
  ContractDefinitionError,
  defineAgentContract,
  defineAppContract,
  defineDeviceContract,
  defineError,
  defineServiceContract,
  Err,
  err,
  HealthReportSchema,
  isErr,
  isOk,
  KVError,
  Ok,
  ok,
  OperationAlreadyTerminalError,
  OperationMismatchError,
  OperationNotFoundError,
  RemoteError,
  Result,
  StoreError,
  TransferError,
  TransportError,
  TrellisError,
  UnexpectedError,
  ValidationError,
} from "../contracts/index.ts";
export type { TrellisErrorData, ValidationIssue } from "../contracts/index.ts";

// Keys, signatures, connect tokens and request proofs (auth.md §1-§4).
export {
  base64urlDecode,
  base64urlEncode,
  KEY_BYTES,
  SIGNATURE_BYTES,
  type Base64urlProblem,
} from "./auth/base64url.ts";
export { ed25519, nativeEd25519, nobleEd25519, webCryptoEd25519, type Ed25519 } from "./auth/ed25519.ts";
export { SessionKeys } from "./auth/session-keys.ts";
export {
  domainDigest,
  natsConnectValue,
  oauthInitValue,
  signDomain,
  verifyDigestSignature,
  verifyDomain,
  type SignatureDomain,
} from "./auth/signatures.ts";
export {
  createConnectToken,
  parseConnectToken,
  verifyConnectToken,
  type NatsAuthTokenV1,
} from "./auth/connect-token.ts";
export {
  payloadHash,
  proofInput,
  readProofHeaders,
  replayKey,
  signRequest,
  verifyRequestProof,
  type ProofFields,
  type ProofHeaders,
  type ReceivedProof,
} from "./auth/request-proof.ts";
export { formatPublicKeyFile, formatSeedFile, keysFromSeedText, readSeedFile } from "./auth/key-files.ts";
export { ServerClock } from "./auth/server-clock.ts";
export { AUTH_REASONS, IAT_SKEW_SECONDS, isFresh, type AuthReason, type KnownAuthReason } from "./auth/reason-codes.ts";

// RPC (runtime-wire.md §1, auth.md §4).
export { RpcClient, DEFAULT_RPC_TIMEOUT_MS, type RpcCallOptions, type RpcClientOptions } from "./rpc/rpc-client.ts";
export {
  RpcServer,
  type InternalRpcContext,
  type RpcContext,
  type RpcHandler,
  type RpcServerOptions,
} from "./rpc/rpc-server.ts";
export type { BuiltinErrorsByType, RpcCallError } from "./rpc/rpc-types.ts";
export type { HandlerResult } from "./rpc/handler-result.ts";
export {
  ValidateRpcAuthenticator,
  type AuthenticationError,
  type Caller,
  type RequestAuthenticator,
  type ValidateRequest,
  type ValidateResponse,
} from "./rpc/request-authenticator.ts";
export { LocalRequestAuthenticator, type LocalAuthenticatorOptions } from "./rpc/local-authenticator.ts";
export { MemoryReplayGuard, type ReplayGuard } from "./rpc/replay-guard.ts";
export {
  CachedPrincipalLookup,
  type CachedPrincipalLookupOptions,
  type Principal,
  type PrincipalLookup,
} from "./rpc/principal-lookup.ts";
export { dropOnRevocation } from "./rpc/revocations.ts";
export { FastPathAuthenticator, type FastPathOptions, type FastPathState } from "./rpc/fast-path-authenticator.ts";
export { CallerCache, MAX_CALLER_TTL_MS, type CallerCacheOptions } from "./rpc/caller-cache.ts";
export { JetStreamReplayGuard, type ClaimOutcome } from "./rpc/jetstream-replay-guard.ts";
export { isWrongLastSequence } from "./kv/kv-errors.ts";
export { REPLAY_BUCKET, REPLAY_CLAIM_GRANT, REPLAY_TTL_SECONDS, replayClaimSubject } from "./rpc/replay-bucket.ts";
export { subjectMatches } from "./rpc/subject-match.ts";

// Observability (runtime-wire.md §5).
export { createLogger, levelFromEnv, silentLogger, type Logger, type LogLevel } from "./observability/logger.ts";
export { childContext, formatTraceparent, parseTraceparent, type TraceContext } from "./observability/trace-context.ts";
export { loadTelemetry, telemetry, type Span, type Telemetry } from "./observability/telemetry.ts";

// Connecting through the auth callout (auth.md §3, §5).
export { calloutAuthenticator, type CalloutAuthenticatorOptions } from "./connect/callout-authenticator.ts";
export { parseCredsText, type SentinelCredentials } from "./connect/sentinel-creds.ts";
export { CONNECT_CODES } from "./connect/connect-errors.ts";
export { bootstrapClient, bootstrapService, type BootstrapOutcome, type BootstrapTarget } from "./connect/bootstrap.ts";
export type { ConnectInfo, KvBinding, ServiceBindingInfo, StoreBinding } from "./connect/bootstrap-schemas.ts";
export type { SessionIdentity } from "./connect/session-identity.ts";

// Event consumer groups as the control plane provisions them (runtime-wire.md §3).
export {
  consumerBinding,
  consumerConfig,
  newConsumerName,
  EVENT_STREAM,
  type EventConsumerBinding,
} from "./events/consumer-config.ts";
export { pullSubjects } from "./events/pull-consumer.ts";

// Generated SDKs (design/codegen.md): descriptor and module types, use records, and the
// facade types their client.ts applies to the SDK's module (`ClientOf<typeof sdk>`, ...).
export { createUseRecord } from "../contracts/index.ts";
export type {
  ContractApi,
  ContractModule,
  // Named in the declarations tsc emits for a generated SDK's error classes (its npm build).
  DefinedErrorClass,
  EventSurface,
  FeedSurface,
  MergeSurfaceGroups,
  NormalizedManifest,
  OperationSurface,
  RpcSurface,
  SelectedSurfaces,
  UseRecord,
  UseSpec,
} from "../contracts/index.ts";
export type { ClientOf, RpcHandlerOf } from "./facade/sdk-facades.ts";

// Services and clients over a connection (runtime-wire.md §7, tooling.md §2.1).
export { TrellisService, type RequestAuthenticationInfo, type ServiceState } from "./service/trellis-service.ts";
export { ServiceHandle, type ServiceClient, type ServiceHealth } from "./service/service-handle.ts";
export type {
  ServiceBindings,
  ServiceConnectOptions,
  ServiceFromConnectionOptions,
} from "./service/service-options.ts";
export { TrellisClient, type ClientConnectOptions, type ClientFromConnectionOptions } from "./client/trellis-client.ts";
export type { OwnedApi, RuntimeContract, TrellisApi } from "./facade/contract-shape.ts";
export type {
  ClientFacade,
  EventClient,
  EventFacade,
  EventListener,
  FeedFacade,
  FeedOpen,
  RpcCall,
  RpcFacade,
} from "./facade/client-facade.ts";
export type {
  FeedHandlerFacade,
  ListenOptions,
  Registration,
  RegistrationError,
  RpcHandlerFacade,
  ServiceEventClient,
  ServiceEventFacade,
  ServiceEventHandler,
  ServiceFeedHandler,
  ServiceRpcHandler,
} from "./facade/service-facade.ts";
export type { AccessorGroup, AccessorLeaf, LowerCamel, PascalCase } from "./facade/accessor-types.ts";

// Operations are served once the operation-state bucket is bound (design/operations.md); an unbound
// service's registrar answers OPERATIONS_UNAVAILABLE. Job queues run once bound (jobs.md §5-§9); an
// unbound one answers JOBS_UNAVAILABLE.
export type {
  OperationClientOf,
  OperationFacade,
  OperationHandlerFacade,
  OperationProgress,
  OperationSignals,
} from "./facade/operation-facade.ts";
export type { JobsFacade } from "./facade/jobs-facade.ts";
export type * from "./operations/operation-types.ts";
export type * from "./jobs/job-types.ts";
export { OPERATIONS_UNAVAILABLE } from "./operations/operation-unavailable.ts";
export {
  STREAM_EXPIRED,
  RecordSchema as OperationRecordSchema,
  StoredEventSchema as StoredOperationEventSchema,
  TERMINAL_STATES as OPERATION_TERMINAL_STATES,
  type OperationRecord,
  type StoredEvent as StoredOperationEvent,
} from "./operations/operation-wire.ts";
export { KEEPALIVE_INTERVAL_MS, STREAM_LIFETIME_MS } from "./operations/operation-stream.ts";
export { SILENCE_RESUME_MS } from "./operations/operation-client.ts";
export { JOBS_UNAVAILABLE } from "./jobs/job-queue-unavailable.ts";
export { JobNotCompletedError, JobRetryError } from "./jobs/job-retry-error.ts";
export {
  backoffDelayMs,
  checkJobBinding,
  jobQueueBinding,
  type JobQueueBinding,
  type JobQueueSettings,
} from "./jobs/job-binding.ts";
export {
  OPERATION_BUCKET_SETTINGS,
  operationBucketName,
  operationStateBinding,
  type OperationStateBinding,
} from "./operations/operation-binding.ts";
export { jobConsumerConfig, jobConsumerSubjects, type JobConsumerConfig } from "./jobs/job-consumer.ts";
export { JOB_TOKEN_FIRED } from "./jobs/active-job.ts";
// The admin runtime publishes its events (cancelled, retried, expired, dead, ...) the way workers do.
export { JobEventPublisher } from "./jobs/job-events.ts";
export { DEFAULT_SHUTDOWN_GRACE_MS } from "./jobs/job-worker.ts";
export { WORKER_HEARTBEAT_INTERVAL_MS } from "./jobs/job-heartbeats.ts";
export type { JobWorkerOptions, OperationOptions } from "./service/service-options.ts";
export { accessorPath, lowerCamel, pascalCase } from "./facade/accessor-names.ts";
export { ConnectionMonitor, type ConnectionStatus, type StatusListener } from "./observability/connection-status.ts";

// kv and store resources, state stores (runtime-wire.md §6).
export type { KvFacade, StateFacade, StoreFacade } from "./facade/resource-facade.ts";
export type { KvChange, KvEntry, KvStatus, KvStore, KvWatch, KvWatchOptions } from "./kv/kv-types.ts";
export type { KvFailureReason, KvOperation } from "./kv/kv-errors.ts";
export { decodeKvKey, encodeKvFilter, encodeKvKey } from "./kv/kv-keys.ts";
export type {
  ObjectStore,
  OpenStore,
  StoreData,
  StoreEntry,
  StoreInfo,
  StoreListOptions,
  StoreListPage,
  StorePutOptions,
  StoreStatus,
  StoreWaitOptions,
} from "./store/store-types.ts";
export type { StoreFailureReason, StoreOperation } from "./store/store-errors.ts";
export { MAX_LIST_LIMIT as MAX_STORE_LIST_LIMIT } from "./store/store-list.ts";
export type {
  MapState,
  StateDeleteOptions,
  StateEntry,
  StateError,
  StateListOptions,
  StateListPage,
  StatePutResult,
  StateRead,
  StateWriteOptions,
  ValueState,
} from "./state/state-types.ts";

// Events (runtime-wire.md §3).
export { EventPublisher, type PublishError, type PublishOptions } from "./events/event-publisher.ts";
export type {
  EventContext,
  EventHandler,
  EventHeader,
  EventPublishInput,
  PreparedEvent,
  PublishedEvent,
  ReceivedEvent,
} from "./events/event-types.ts";
export { CONSUMER_DEFAULTS, EVENT_STREAM_SUBJECTS, isConsumerName } from "./events/consumer-config.ts";

// Feeds (runtime-wire.md §4).
export { FeedClient, type Feed, type FeedOpenError, type FeedOptions } from "./feeds/feed-client.ts";
export { FeedServer, type FeedServerOptions } from "./feeds/feed-server.ts";
export type { FeedContext, FeedEmit, FeedHandler } from "./feeds/feed-types.ts";

// Health (runtime-wire.md §5).
export type {
  HealthCheck,
  HealthCheckDetails,
  HealthCheckResult,
  HealthReport,
  HealthStatus,
} from "./health/health-checks.ts";
export { DEFAULT_HEARTBEAT_INTERVAL_MS } from "./health/heartbeat.ts";
export { healthMethodName } from "./health/health-rpc.ts";

// Errors on the wire (runtime-wire.md §1.3-§1.7).
export { TRANSPORT_CODES } from "./wire/transport-errors.ts";
export { errorReplyData, type ErrorReplyContext } from "./wire/error-reply.ts";
export { decodeErrorBody, type DeclaredErrors } from "./wire/error-decode.ts";
