import {
  AsyncResult,
  err,
  ok,
  TransportError,
  ValidationError,
  type OperationSurface,
  type Result,
  type TrellisError,
} from "../../contracts/index.ts";
import type { TraceContext } from "../observability/trace-context.ts";
import { checkSchema } from "../wire/schema-check.ts";
import { TRANSPORT_CODES } from "../wire/transport-errors.ts";
import { checkSnapshot, type ControlStream, type OperationCaller } from "./operation-client.ts";
import type {
  OperationError,
  OperationEvent,
  OperationRef,
  OperationSnapshot,
  SignalInputs,
  TerminalSnapshot,
} from "./operation-types.ts";
import {
  isTerminal,
  STREAM_EXPIRED,
  type ControlFrame,
  type ControlRequest,
  type WireSnapshot,
} from "./operation-wire.ts";

type Snapshot = OperationSnapshot<unknown, unknown>;
type Event = OperationEvent<unknown, unknown>;

/** Why a stream is re-issued rather than reported (§5.3): expiry, silence, or a sequence gap. */
type Resume = { resume: true };
const RESUME: Resume = { resume: true };

/**
 * `OperationRef` (§1) over the control subject. Every member is one
 * AsyncResult that never rejects; frames are decoded and validated; a
 * stream that expires, goes silent for 45 s or skips a sequence is hidden:
 * the ref re-`get`s and re-issues it, dropping frames it has already seen.
 */
export class OperationRefImpl implements OperationRef<unknown, unknown, SignalInputs> {
  constructor(
    private readonly caller: OperationCaller,
    private readonly surface: OperationSurface,
    readonly id: string,
    private readonly trace: TraceContext | undefined,
  ) {}

  get service(): string {
    return this.surface.contractId;
  }

  get operation(): string {
    return this.surface.name;
  }

  get(): AsyncResult<Snapshot, OperationError> {
    return this.#single({ action: "get", operationId: this.id }) as AsyncResult<Snapshot, OperationError>;
  }

  cancel(): AsyncResult<Snapshot, OperationError> {
    return this.#single({ action: "cancel", operationId: this.id }) as AsyncResult<Snapshot, OperationError>;
  }

  signal(name: string, input: unknown): AsyncResult<void, OperationError> {
    const schemas = this.surface.signals;
    if (!Object.hasOwn(schemas, name)) {
      return AsyncResult.err(
        new ValidationError([{ path: "/signal", message: `is not a signal of ${this.surface.name}` }]),
      );
    }
    const checked = checkSchema(schemas[name], input);
    if (checked.isErr()) return AsyncResult.err(checked.error);
    const request: ControlRequest = { action: "signal", operationId: this.id, signal: name, input: checked.value };
    return new AsyncResult(
      this.#once(request).then((frame): Result<void, TrellisError> => {
        if (frame.isErr()) return err(frame.error);
        return frame.value.kind === "signal-accepted" ? ok(undefined) : err(unexpectedFrame(frame.value));
      }),
    ) as AsyncResult<void, OperationError>;
  }

  wait(
    options: { readonly includeProgress?: boolean } = {},
  ): AsyncResult<TerminalSnapshot<unknown, unknown>, OperationError> {
    return new AsyncResult(this.#wait(options.includeProgress === true)) as AsyncResult<
      TerminalSnapshot<unknown, unknown>,
      OperationError
    >;
  }

  watch(): AsyncResult<AsyncIterable<Event>, OperationError> {
    return new AsyncResult(this.#watch()) as AsyncResult<AsyncIterable<Event>, OperationError>;
  }

  #single(request: ControlRequest): AsyncResult<WireSnapshot, TrellisError> {
    return new AsyncResult(
      this.#once(request).then((frame): Result<WireSnapshot, TrellisError> => {
        if (frame.isErr()) return err(frame.error);
        if (frame.value.kind !== "snapshot") return err(unexpectedFrame(frame.value));
        return checkSnapshot(this.surface, frame.value.snapshot);
      }),
    );
  }

  /** One request, one frame (keepalives skipped), then the subscription ends. */
  async #once(request: ControlRequest): Promise<Result<ControlFrame, TrellisError>> {
    const stream = await this.caller.open(this.surface, request, this.trace);
    if (stream.isErr()) return err(stream.error);
    try {
      for (;;) {
        const frame = await stream.value.next(this.caller.timeoutMs);
        if (frame === undefined) return err(timedOut(request));
        if (frame === "ended") return err(closed(request));
        if (frame.isOk() && frame.value.kind === "keepalive") continue;
        return frame;
      }
    } finally {
      stream.value.close();
    }
  }

  async #wait(includeProgress: boolean): Promise<Result<WireSnapshot, TrellisError>> {
    for (;;) {
      const stream = await this.caller.open(
        this.surface,
        { action: "wait", operationId: this.id, includeProgress },
        this.trace,
      );
      if (stream.isErr()) return err(stream.error);
      const outcome = await this.#readWait(stream.value);
      if (!("resume" in outcome)) return outcome;
      // Hidden expiry or silence: the snapshot may already be terminal.
      const current = await this.#single({ action: "get", operationId: this.id });
      if (current.isErr()) return err(current.error);
      if (isTerminal(current.value)) return ok(current.value);
    }
  }

  async #readWait(stream: ControlStream): Promise<Result<WireSnapshot, TrellisError> | Resume> {
    let first = true;
    try {
      for (;;) {
        const frame = await stream.next(first ? this.caller.timeoutMs : this.caller.silenceMs);
        if (frame === undefined) return first ? err(timedOut({ action: "wait", operationId: this.id })) : RESUME;
        first = false;
        if (frame === "ended") return RESUME;
        if (frame.isErr()) return isExpiry(frame.error) ? RESUME : err(frame.error);
        const value = frame.value;
        if (value.kind === "snapshot" && isTerminal(value.snapshot)) return checkSnapshot(this.surface, value.snapshot);
      }
    } finally {
      stream.close();
    }
  }

  async #watch(): Promise<Result<AsyncIterable<Event>, TrellisError>> {
    const opened = await this.#openWatch();
    if (opened.isErr()) return err(opened.error);
    const ref = this;
    let { stream, snapshot } = opened.value;
    return ok({
      async *[Symbol.asyncIterator](): AsyncGenerator<Event, void, undefined> {
        let last = snapshot.revision;
        let done = isTerminal(snapshot);
        try {
          while (!done) {
            const frame = await stream.next(ref.caller.silenceMs);
            let resume = frame === undefined || frame === "ended";
            if (frame !== undefined && frame !== "ended") {
              if (frame.isErr()) {
                if (!isExpiry(frame.error)) throw frame.error;
                resume = true;
              } else if (frame.value.kind === "event") {
                const { sequence, event } = frame.value;
                if (sequence <= last) continue;
                if (sequence > last + 1) resume = true;
                else {
                  const checked = checkSnapshot(ref.surface, event.snapshot);
                  if (checked.isErr()) throw checked.error;
                  last = sequence;
                  done = isTerminal(event.snapshot);
                  yield event as Event;
                }
              }
            }
            if (!resume) continue;
            stream.close();
            const reopened = await ref.#openWatch();
            if (reopened.isErr()) throw reopened.error;
            ({ stream, snapshot } = reopened.value);
            if (snapshot.revision > last && isTerminal(snapshot)) {
              // A terminal event carries nothing but its snapshot, so the one we missed is rebuilt from it.
              yield { type: snapshot.state, snapshot } as Event;
              done = true;
            }
            last = Math.max(last, snapshot.revision);
          }
        } finally {
          stream.close();
        }
      },
    });
  }

  /** A watch request and its first frame (the current durable state); an error frame is the call's Err. */
  async #openWatch(): Promise<Result<{ stream: ControlStream; snapshot: WireSnapshot }, TrellisError>> {
    const stream = await this.caller.open(this.surface, { action: "watch", operationId: this.id }, this.trace);
    if (stream.isErr()) return err(stream.error);
    for (;;) {
      const frame = await stream.value.next(this.caller.timeoutMs);
      if (frame === undefined || frame === "ended" || frame.isErr() || frame.value.kind !== "keepalive") {
        if (frame !== undefined && frame !== "ended" && frame.isOk() && frame.value.kind === "snapshot") {
          const checked = checkSnapshot(this.surface, frame.value.snapshot);
          if (checked.isErr()) {
            stream.value.close();
            return err(checked.error);
          }
          return ok({ stream: stream.value, snapshot: checked.value });
        }
        stream.value.close();
        if (frame === undefined) return err(timedOut({ action: "watch", operationId: this.id }));
        if (frame === "ended") return err(closed({ action: "watch", operationId: this.id }));
        return err(frame.isErr() ? frame.error : unexpectedFrame(frame.value));
      }
    }
  }
}

function isExpiry(error: TrellisError): boolean {
  return error instanceof TransportError && error.code === STREAM_EXPIRED;
}

function timedOut(request: ControlRequest): TransportError {
  return new TransportError(TRANSPORT_CODES.timeout, "the operation did not answer in time", {
    context: { action: request.action, operationId: request.operationId },
  });
}

function closed(request: ControlRequest): TransportError {
  return new TransportError(TRANSPORT_CODES.failed, "the control subscription closed", {
    context: { action: request.action, operationId: request.operationId },
  });
}

function unexpectedFrame(frame: ControlFrame): TransportError {
  return new TransportError(TRANSPORT_CODES.invalidResponse, `unexpected '${frame.kind}' frame`, {
    context: { kind: frame.kind },
  });
}
