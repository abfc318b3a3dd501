import type * as v from "valibot";
import type {
  AsyncResult,
  AuthError,
  CallerSchema,
  OperationAlreadyTerminalError,
  OperationNotFoundError,
  RemoteError,
  Result,
  TransportError,
  TrellisError,
  UnexpectedError,
  ValidationError,
} from "../contracts/index.ts";

/**
 * The building blocks of the typed facades that generated SDKs declare in
 * their `client.ts` (design/codegen.md, "Facades"), exported as the `sdk`
 * namespace of `@trellis/runtime`. Type-only: the runtime's client and
 * service objects implement these shapes, built at run time from a contract
 * module's `API` descriptors (a source module or a generated `sdk`). They are
 * written over payload types, where `facade/` derives the same members from
 * descriptor types; the two must stay structurally the same.
 */

/** Errors any call may end with besides its declared ones (runtime-wire.md §1.7; UnexpectedError for bugs). */
export type CallError = ValidationError | TransportError | RemoteError | UnexpectedError;

/** What handlers, listeners and job functions may return (runtime-wire.md §2). */
export type HandlerResult<T, E = TrellisError> = Result<T, E> | AsyncResult<T, E> | PromiseLike<Result<T, E>>;

/** Per-call options. */
export interface CallOptions {
  /** Default 3000 ms for RPCs (runtime-wire.md §1.1). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Registering a handler subscribes; a failure to do so is a value: ValidationError
 * when refused (already handled, unknown consumer group), TransportError when
 * the subscription could not be confirmed (the runtime's `Registration`, design/runtime.md).
 */
export type Registration = AsyncResult<void, ValidationError | TransportError | UnexpectedError>;

export type Caller = v.InferOutput<typeof CallerSchema>;

/** Handler `context` (runtime-wire.md §1.2 step 6). */
export interface RequestContext {
  readonly caller: Caller;
  readonly sessionKey: string;
  readonly requestId: string;
}

/** What every handler receives; `deps` is what `service.with(deps)` passed (`undefined` otherwise). */
export interface HandlerArgs<TInput, TClient, TDeps> {
  readonly input: TInput;
  readonly context: RequestContext;
  readonly client: TClient;
  readonly deps: TDeps;
}

// ---- rpc

/** `client.rpc.<group>.<leaf>(input)`. */
export type RpcMethod<TInput, TOutput, TError> = (
  input: TInput,
  options?: CallOptions,
) => AsyncResult<TOutput, TError | CallError>;

/**
 * `service.handle.rpc.<group>.<leaf>(handler)`: the handler may fail with
 * the declared errors, or `UnexpectedError` (a throw becomes one, §1.2 step 6).
 */
export type RpcHandler<TInput, TOutput, TError, TClient, TDeps> = (
  args: HandlerArgs<TInput, TClient, TDeps>,
) => HandlerResult<TOutput, TError | UnexpectedError>;

// ---- events

/** Listener context (runtime-wire.md §3). */
export interface EventContext {
  readonly id: string;
  readonly time: string;
  readonly subject: string;
  readonly mode: "durable" | "ephemeral";
  readonly group?: string;
  /** The stream sequence, for durable delivery. */
  readonly sequence?: number;
  /** Delivery attempt, 1 for the first (durable only). */
  readonly delivery?: number;
}

/** `payload.header`, set by the publishing runtime (§3 step 2). */
export interface EventHeader {
  readonly id: string;
  readonly time: string;
}

/** What publishing takes: the event without `header`, which the runtime sets (replacing any given). */
export type PublishInput<TEvent> = unknown extends TEvent
  ? unknown
  : TEvent extends object
    ? Omit<TEvent, "header"> & { readonly header?: unknown }
    : TEvent;

/** What a listener receives: the validated event with the header its publisher set. */
export type ReceivedEvent<TEvent> = TEvent & { readonly header: EventHeader };

/** A prepared event as an outbox stores and republishes it (§3); it carries no contract id or digest. */
export interface PreparedEvent {
  readonly event: string;
  readonly subject: string;
  readonly payload: { readonly [key: string]: unknown };
  /** The exact JSON text that is published. */
  readonly encodedPayload: string;
  readonly headers: { readonly [name: string]: string };
}

/** The stream's acknowledgement of a publish. */
export interface PublishedEvent {
  readonly id: string;
  readonly subject: string;
  readonly stream: string;
  readonly sequence: number;
  readonly duplicate: boolean;
}

export interface ListenOptions {
  /** A consumer group of the contract's `eventConsumers`: durable; without it, ephemeral. */
  readonly group?: string;
}

export interface Subscription {
  stop(): void | Promise<void>;
}

export type EventListener<TEvent> = (args: {
  readonly event: ReceivedEvent<TEvent>;
  readonly context: EventContext;
}) => HandlerResult<void>;

/** `client.event.<group>.<leaf>`. */
export interface EventClient<TEvent> {
  publish(event: PublishInput<TEvent>): AsyncResult<PublishedEvent, ValidationError | TransportError | UnexpectedError>;
  prepare(event: PublishInput<TEvent>): Result<PreparedEvent, ValidationError>;
  listen(
    listener: EventListener<TEvent>,
    options?: ListenOptions,
  ): AsyncResult<Subscription, ValidationError | TransportError | UnexpectedError>;
}

// ---- feeds

/** Validated events of a feed; breaking out of the loop or `close()` unsubscribes (§4 step 7). */
export interface FeedStream<TEvent> extends AsyncIterable<TEvent> {
  close(): void;
  readonly closed: boolean;
}

/** `client.feed.<group>.<leaf>(input)`. */
export type FeedMethod<TInput, TEvent> = (
  input: TInput,
  options?: CallOptions,
) => AsyncResult<FeedStream<TEvent>, CallError>;

export interface FeedHandlerArgs<TInput, TEvent, TClient, TDeps> extends HandlerArgs<TInput, TClient, TDeps> {
  emit(event: TEvent): AsyncResult<void, ValidationError | TransportError>;
  /** Aborted when the handler returns and on service stop (§4). */
  readonly signal: AbortSignal;
}

export type FeedHandler<TInput, TEvent, TClient, TDeps> = (
  args: FeedHandlerArgs<TInput, TEvent, TClient, TDeps>,
) => HandlerResult<void>;

// ---- operations (operations.md §3, §7)

export type OperationState = "pending" | "running" | "completed" | "failed" | "cancelled";

export interface OperationSnapshot<TProgress, TOutput> {
  readonly id: string;
  readonly service: string;
  readonly operation: string;
  readonly revision: number;
  readonly state: OperationState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt?: string;
  readonly progress?: TProgress;
  readonly transfer?: TransferProgress;
  readonly output?: TOutput;
  readonly error?: {
    readonly type: string;
    readonly message: string;
    readonly id?: string;
    readonly context?: { readonly [key: string]: unknown };
    readonly traceId?: string;
  };
}

export interface TransferProgress {
  readonly chunkIndex: number;
  readonly chunkBytes: number;
  readonly transferredBytes: number;
}

export type TerminalSnapshot<TProgress, TOutput> = OperationSnapshot<TProgress, TOutput> & {
  readonly state: "completed" | "failed" | "cancelled";
  readonly completedAt: string;
};

export type OperationEvent<TProgress, TOutput> =
  | {
      readonly type: "accepted" | "started" | "completed" | "failed" | "cancelled";
      readonly snapshot: OperationSnapshot<TProgress, TOutput>;
    }
  | {
      readonly type: "progress";
      readonly progress: TProgress;
      readonly snapshot: OperationSnapshot<TProgress, TOutput>;
    }
  | {
      readonly type: "transfer";
      readonly transfer: TransferProgress;
      readonly snapshot: OperationSnapshot<TProgress, TOutput>;
    };

/** Signal inputs by signal name. */
export type SignalInputs = { readonly [signal: string]: unknown };

export type OperationError = CallError | AuthError | OperationNotFoundError | OperationAlreadyTerminalError;

/** What `start` returns (operations.md §1). */
export interface OperationRef<TProgress, TOutput, TSignals extends SignalInputs> {
  readonly id: string;
  readonly service: string;
  readonly operation: string;
  get(): AsyncResult<OperationSnapshot<TProgress, TOutput>, OperationError>;
  wait(options?: {
    readonly includeProgress?: boolean;
  }): AsyncResult<TerminalSnapshot<TProgress, TOutput>, OperationError>;
  watch(): AsyncResult<AsyncIterable<OperationEvent<TProgress, TOutput>>, OperationError>;
  cancel(): AsyncResult<OperationSnapshot<TProgress, TOutput>, OperationError>;
  signal<TName extends keyof TSignals & string>(name: TName, input: TSignals[TName]): AsyncResult<void, OperationError>;
}

/** The builder form, `input(i).start()` (operations.md §9 uses it for transfers). */
export interface OperationStarter<TProgress, TOutput, TSignals extends SignalInputs> {
  start(options?: CallOptions): AsyncResult<OperationRef<TProgress, TOutput, TSignals>, CallError | AuthError>;
}

/** `client.operation.<group>.<leaf>`. */
export interface OperationClient<TInput, TProgress, TOutput, TSignals extends SignalInputs> {
  start(
    input: TInput,
    options?: CallOptions,
  ): AsyncResult<OperationRef<TProgress, TOutput, TSignals>, CallError | AuthError>;
  input(input: TInput): OperationStarter<TProgress, TOutput, TSignals>;
  /** A reference to an existing operation by id (observe, cancel, signal); it does not start anything. */
  resume(operationId: string): OperationRef<TProgress, TOutput, TSignals>;
}

export interface OperationSignal<TSignals extends SignalInputs> {
  readonly operationId: string;
  readonly sequence: number;
  readonly signal: keyof TSignals & string;
  readonly input: TSignals[keyof TSignals];
}

/** The deferred sentinel `op.defer()` returns (operations.md §7). */
export interface DeferredOperation {
  readonly kind: "deferred";
}

type OperationMutationError = ValidationError | OperationAlreadyTerminalError | TransportError | UnexpectedError;

/** The active handle `op` an operation handler gets (operations.md §7). */
export interface ActiveOperation<TProgress, TOutput, TSignals extends SignalInputs> {
  readonly id: string;
  readonly snapshot: OperationSnapshot<TProgress, TOutput>;
  started(): AsyncResult<OperationSnapshot<TProgress, TOutput>, OperationMutationError>;
  progress(progress: TProgress): AsyncResult<OperationSnapshot<TProgress, TOutput>, OperationMutationError>;
  complete(output: TOutput): AsyncResult<TerminalSnapshot<TProgress, TOutput>, OperationMutationError>;
  fail(error: TrellisError): AsyncResult<TerminalSnapshot<TProgress, TOutput>, OperationMutationError>;
  cancel(): AsyncResult<TerminalSnapshot<TProgress, TOutput>, OperationMutationError>;
  signals(): AsyncIterable<OperationSignal<TSignals>>;
  nextSignal(
    name?: keyof TSignals & string,
  ): AsyncResult<OperationSignal<TSignals>, OperationAlreadyTerminalError | TransportError>;
  readonly cancelled: boolean;
  readonly abortSignal: AbortSignal;
  attach(job: JobRef<unknown>): AsyncResult<TerminalSnapshot<TProgress, TOutput>, UnexpectedError | TransportError>;
  defer(): DeferredOperation;
}

/** `control(operationId)`: the same members except `defer` (operations.md §7). */
export type OperationControl<TProgress, TOutput, TSignals extends SignalInputs> = Omit<
  ActiveOperation<TProgress, TOutput, TSignals>,
  "defer"
>;

export interface OperationHandlerArgs<
  TInput,
  TProgress,
  TOutput,
  TSignals extends SignalInputs,
  TClient,
  TDeps,
> extends HandlerArgs<TInput, TClient, TDeps> {
  readonly op: ActiveOperation<TProgress, TOutput, TSignals>;
}

/** Result or plain-value outcomes of an operation handler (operations.md §7 "The handler's return"). */
export type OperationOutcome<TProgress, TOutput> =
  | DeferredOperation
  | TerminalSnapshot<TProgress, TOutput>
  | Result<TOutput, TrellisError>
  | AsyncResult<TOutput, TrellisError>;

export type OperationHandler<TInput, TProgress, TOutput, TSignals extends SignalInputs, TClient, TDeps> = (
  args: OperationHandlerArgs<TInput, TProgress, TOutput, TSignals, TClient, TDeps>,
) => OperationOutcome<TProgress, TOutput> | Promise<OperationOutcome<TProgress, TOutput>>;

/** `service.handle.operation.<group>.<leaf>`: register the handler, or take control of one by id. */
export interface OperationRegistrar<TInput, TProgress, TOutput, TSignals extends SignalInputs, TClient, TDeps> {
  (handler: OperationHandler<TInput, TProgress, TOutput, TSignals, TClient, TDeps>): Registration;
  control(
    operationId: string,
  ): AsyncResult<
    OperationControl<TProgress, TOutput, TSignals>,
    OperationNotFoundError | OperationError | UnexpectedError
  >;
}

// ---- jobs (jobs.md)

export interface JobCreateOptions {
  readonly deadlineMs?: number;
}

export interface JobRef<TResult> {
  readonly id: string;
  readonly service: string;
  readonly queue: string;
  wait(): AsyncResult<TResult, TrellisError>;
}

export interface ActiveJob {
  readonly id: string;
  readonly attempt: number;
  readonly signal: AbortSignal;
  progress(progress: unknown): AsyncResult<void, TransportError>;
  log(message: string): AsyncResult<void, TransportError>;
}

export interface JobHandlerArgs<TPayload, TClient, TDeps> {
  readonly payload: TPayload;
  readonly job: ActiveJob;
  readonly client: TClient;
  readonly deps: TDeps;
}

export type JobHandler<TPayload, TResult, TClient, TDeps> = (
  args: JobHandlerArgs<TPayload, TClient, TDeps>,
) => HandlerResult<TResult>;

/** `service.jobs.<queue>`. */
export interface JobQueue<TPayload, TResult, TClient, TDeps> {
  create(
    payload: TPayload,
    options?: JobCreateOptions,
  ): AsyncResult<JobRef<TResult>, ValidationError | TransportError | UnexpectedError>;
  handle(handler: JobHandler<TPayload, TResult, TClient, TDeps>): Registration;
}

// ---- state and resources (runtime-wire.md §6): the runtime's own handle types, so the two cannot drift.

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
export type { KvChange, KvEntry, KvStatus, KvStore, KvWatch, KvWatchOptions } from "./kv/kv-types.ts";
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
