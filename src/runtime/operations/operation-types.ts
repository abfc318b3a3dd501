import type {
  AsyncResult,
  AuthError,
  KVError,
  OperationAlreadyTerminalError,
  OperationMismatchError,
  OperationNotFoundError,
  RemoteError,
  Result,
  TransportError,
  TrellisError,
  UnexpectedError,
  ValidationError,
} from "../../contracts/index.ts";
import type { Registration } from "../facade/service-facade.ts";
import type { JobRef } from "../jobs/job-types.ts";
import type { RpcContext } from "../rpc/rpc-server.ts";

/**
 * The typed shapes of operations (operations.md §1, §3, §7): what
 * `client.operation.<g>.<l>` and `service.handle.operation.<g>.<l>` are, over
 * payload types. Served when the service has its operation-state binding
 * (design/operations.md); without one the registrar answers with
 * `OPERATIONS_UNAVAILABLE` (operation-unavailable.ts).
 */

/** Per-call options of `start`. */
export interface CallOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** What any call may end with besides its declared errors (runtime-wire.md §1.7). */
export type CallError = ValidationError | TransportError | RemoteError | UnexpectedError;

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

export type OperationError =
  CallError | AuthError | OperationNotFoundError | OperationAlreadyTerminalError | OperationMismatchError;

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
  readonly acceptedAt: string;
  /** Who sent it (`user:<id>`, `service:<id>`, `device:<id>`). */
  readonly principal: string;
}

/** The deferred sentinel `op.defer()` returns (operations.md §7). */
export interface DeferredOperation {
  readonly kind: "deferred";
}

/** KVError: the operation-state bucket could not be read or written (nothing was committed). */
export type OperationMutationError =
  ValidationError | OperationAlreadyTerminalError | OperationNotFoundError | KVError | TransportError | UnexpectedError;

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
  attach(
    job: JobRef<unknown>,
  ): AsyncResult<TerminalSnapshot<TProgress, TOutput>, UnexpectedError | TransportError | KVError>;
  defer(): DeferredOperation;
}

/** `control(operationId)`: the same members except `defer` (operations.md §7). */
export type OperationControl<TProgress, TOutput, TSignals extends SignalInputs> = Omit<
  ActiveOperation<TProgress, TOutput, TSignals>,
  "defer"
>;

export interface OperationHandlerArgs<TInput, TProgress, TOutput, TSignals extends SignalInputs, TClient, TDeps> {
  readonly input: TInput;
  readonly context: RpcContext;
  readonly client: TClient;
  readonly deps: TDeps;
  readonly op: ActiveOperation<TProgress, TOutput, TSignals>;
}

/** Result or plain-value outcomes of an operation handler (operations.md §7 "The handler's return"). */
export type OperationOutcome<TProgress, TOutput> =
  | DeferredOperation
  | TerminalSnapshot<TProgress, TOutput>
  | TOutput
  | Result<TOutput | TerminalSnapshot<TProgress, TOutput>, TrellisError>
  | AsyncResult<TOutput | TerminalSnapshot<TProgress, TOutput>, TrellisError>;

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
    OperationNotFoundError | OperationMismatchError | KVError | TransportError | UnexpectedError
  >;
}
