import type {
  FeedSurface,
  AsyncResult,
  SurfaceEvent,
  SurfaceInput,
  TransportError,
  ValidationError,
} from "../../contracts/index.ts";
import type { HandlerResult } from "../rpc/handler-result.ts";
import type { RpcContext } from "../rpc/rpc-server.ts";

/** A feed handler learns what an RPC handler learns (runtime-wire.md §4.2 runs the same checks). */
export type FeedContext = RpcContext;

/** Sends one data frame; Err (and nothing sent) when the event does not encode or the feed has ended. */
export type FeedEmit<S extends FeedSurface> = (
  event: SurfaceEvent<S>,
) => AsyncResult<void, ValidationError | TransportError>;

/**
 * A feed handler (§4): emits events until it returns. Returning Ok simply
 * goes quiet (v1 has no end frame); Err or a throw sends one error frame.
 * `signal` aborts when the handler returns, when the subscriber is seen to be
 * gone, and on service stop; handlers should bound their lifetime by it.
 */
export type FeedHandler<S extends FeedSurface> = (args: {
  input: SurfaceInput<S>;
  context: FeedContext;
  emit: FeedEmit<S>;
  signal: AbortSignal;
}) => HandlerResult<void>;
