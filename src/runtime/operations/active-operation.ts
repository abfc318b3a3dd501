import type { KV } from "@nats-io/kv";
import {
  AsyncResult,
  err,
  ok,
  UnexpectedError,
  ValidationError,
  type OperationSurface,
  type Result,
  type KVError,
  type OperationAlreadyTerminalError,
  type TransportError,
  type TrellisError,
} from "../../contracts/index.ts";
import type { JobRef } from "../jobs/job-types.ts";
import { checkSchema } from "../wire/schema-check.ts";
import { watchEvents, watchSignals, type LiveFeed } from "./operation-feeds.ts";
import { SignalLog } from "./operation-signals.ts";
import { terminalError, type OperationStore } from "./operation-store.ts";
import type { TransitionRequest } from "./operation-transitions.ts";
import type {
  ActiveOperation,
  DeferredOperation,
  OperationMutationError,
  OperationSignal,
  OperationSnapshot,
  SignalInputs,
  TerminalSnapshot,
} from "./operation-types.ts";
import { isTerminal, type StoredSignal, type WireSnapshot } from "./operation-wire.ts";

type Snapshot = OperationSnapshot<unknown, unknown>;
type Terminal = TerminalSnapshot<unknown, unknown>;
type AnyActive = ActiveOperation<unknown, unknown, SignalInputs>;

export const DEFERRED: DeferredOperation = Object.freeze({ kind: "deferred" });

export function isDeferred(value: unknown): value is DeferredOperation {
  return (
    value === DEFERRED ||
    (typeof value === "object" && value !== null && (value as DeferredOperation).kind === "deferred")
  );
}

/**
 * The handle of one operation (§7): the handler's `op`, and what
 * `control(operationId)` returns (the same members but `defer`). Every
 * mutation validates first and goes through the §4 commit protocol, so it
 * works from any instance; `cancelled`, `abortSignal` and the signal readers
 * follow the bucket's live feeds, started the first time they are used.
 */
export class OperationHandle implements AnyActive {
  #snapshot: WireSnapshot;
  readonly #abort = new AbortController();
  readonly #signals = new SignalLog();
  #feeds: LiveFeed[] | undefined;
  #cursor = 0;
  #closed = false;

  constructor(
    private readonly kv: KV,
    private readonly store: OperationStore,
    private readonly surface: OperationSurface,
    snapshot: WireSnapshot,
    private readonly onClose: (handle: OperationHandle) => void = () => undefined,
  ) {
    this.#snapshot = snapshot;
    this.#observe(snapshot);
  }

  get id(): string {
    return this.#snapshot.id;
  }

  get snapshot(): Snapshot {
    return this.#snapshot as Snapshot;
  }

  get cancelled(): boolean {
    this.#follow();
    return this.#snapshot.state === "cancelled";
  }

  get abortSignal(): AbortSignal {
    this.#follow();
    return this.#abort.signal;
  }

  started(): AsyncResult<Snapshot, OperationMutationError> {
    return this.#commit({ type: "started" });
  }

  progress(progress: unknown): AsyncResult<Snapshot, OperationMutationError> {
    if (this.surface.progress === undefined) {
      return AsyncResult.err(
        new ValidationError([{ path: "/progress", message: `operation ${this.surface.name} reports no progress` }]),
      );
    }
    const checked = checkSchema(this.surface.progress, progress);
    if (checked.isErr()) return AsyncResult.err(prefixed(checked.error, "/progress"));
    return this.#commit({ type: "progress", progress: checked.value });
  }

  complete(output: unknown): AsyncResult<Terminal, OperationMutationError> {
    const checked = checkSchema(this.surface.output, output);
    if (checked.isErr()) return AsyncResult.err(prefixed(checked.error, "/output"));
    return this.#commit({ type: "completed", output: checked.value }) as AsyncResult<Terminal, OperationMutationError>;
  }

  fail(error: TrellisError): AsyncResult<Terminal, OperationMutationError> {
    const { type, message, id, context, traceId } = error.toJSON();
    const data = {
      type,
      message,
      id,
      ...(context === undefined ? {} : { context }),
      ...(traceId === undefined ? {} : { traceId }),
    };
    return this.#commit({ type: "failed", error: data }) as AsyncResult<Terminal, OperationMutationError>;
  }

  cancel(): AsyncResult<Terminal, OperationMutationError> {
    if (!this.surface.cancel) {
      return AsyncResult.err(
        new ValidationError([{ path: "/cancel", message: `operation ${this.surface.name} cannot be cancelled` }]),
      );
    }
    return this.#commit({ type: "cancelled" }) as AsyncResult<Terminal, OperationMutationError>;
  }

  signals(): AsyncIterable<OperationSignal<SignalInputs>> {
    this.#follow();
    const log = this.#signals;
    return {
      async *[Symbol.asyncIterator]() {
        let cursor = 0;
        for (;;) {
          const next = await log.next(cursor);
          // Ends with the terminal error, as §7 says (a handler's loop then ends the handler).
          if (next.isErr()) throw next.error;
          cursor = next.value.sequence;
          yield toSignal(next.value);
        }
      },
    };
  }

  nextSignal(
    name?: string,
  ): AsyncResult<OperationSignal<SignalInputs>, OperationAlreadyTerminalError | TransportError> {
    this.#follow();
    return new AsyncResult(
      this.#signals.next(this.#cursor, name).then((next) => {
        if (next.isErr()) return err(next.error);
        this.#cursor = next.value.sequence;
        return ok(toSignal(next.value));
      }),
    );
  }

  attach(job: JobRef<unknown>): AsyncResult<Terminal, UnexpectedError | TransportError | KVError> {
    return new AsyncResult(
      (async (): Promise<Result<Terminal, UnexpectedError | KVError>> => {
        await job.wait();
        const read = await this.store.read(this.id);
        if (read.isErr()) return err(read.error);
        const snapshot = read.value?.snapshot;
        if (snapshot !== undefined) this.#observe(snapshot);
        if (snapshot !== undefined && isTerminal(snapshot)) return ok(snapshot as Terminal);
        return err(
          new UnexpectedError({
            context: { operationId: this.id, jobId: job.id, reason: "the job ended without finishing the operation" },
          }),
        );
      })(),
    );
  }

  defer(): DeferredOperation {
    return DEFERRED;
  }

  /** Stops the live feeds (the handler returned, or the service stops). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const feed of this.#feeds ?? []) feed.stop();
    this.#feeds = [];
    this.onClose(this);
  }

  #commit(request: TransitionRequest): AsyncResult<Snapshot, OperationMutationError> {
    if (isTerminal(this.#snapshot)) return AsyncResult.err(terminalError(this.#snapshot));
    return new AsyncResult(
      this.store.commit(this.id, request).then((result) => {
        if (result.isErr()) return err(result.error as OperationMutationError);
        this.#observe(result.value);
        return ok(result.value as Snapshot);
      }),
    );
  }

  #observe(snapshot: WireSnapshot): void {
    if (snapshot.revision >= this.#snapshot.revision) this.#snapshot = snapshot;
    if (!isTerminal(this.#snapshot)) return;
    if (this.#snapshot.state === "cancelled") this.#abort.abort(new Error("the operation was cancelled"));
    this.#signals.end(terminalError(this.#snapshot));
    this.close();
  }

  /** The live feeds, once: events (terminal states from any path) and signals. */
  #follow(): void {
    if (this.#feeds !== undefined || this.#closed) return;
    this.#feeds = [];
    const feeds = this.#feeds;
    const keep = (feed: Result<LiveFeed, unknown>) => {
      if (feed.isErr()) return;
      if (this.#closed) feed.value.stop();
      else feeds.push(feed.value);
    };
    void watchEvents(this.kv, this.id, (stored) => this.#observe(stored.event.snapshot)).then(keep);
    void watchSignals(this.kv, this.id, (signal) => this.#signals.push(signal)).then(keep);
    // The feed of events starts after now: catch up with what was committed before it existed.
    void this.store.read(this.id).then((read) => {
      if (read.isOk() && read.value !== undefined) this.#observe(read.value.snapshot);
    });
  }
}

function toSignal(stored: StoredSignal): OperationSignal<SignalInputs> {
  return stored as OperationSignal<SignalInputs>;
}

function prefixed(error: ValidationError, at: string): ValidationError {
  return new ValidationError(error.issues.map((issue) => ({ ...issue, path: `${at}${issue.path}` })));
}
