import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { err, ok, stateContract, type Result, type TrellisError } from "../../contracts/index.ts";
import type { RpcContext, RpcServer } from "../../runtime/index.ts";
import { BUCKETS } from "../infra/definitions.ts";
import type { AuthStore } from "../store/auth-store.ts";
import { StateCallers, type StateCaller } from "./state-caller.ts";
import { StateService } from "./state-service.ts";

/**
 * Opens `trellis_state` (AUTH account: no service or client can reach it
 * but through these RPCs) and serves `trellis.state@v1` on `server`.
 */
export async function openStateService(
  auth: NatsConnection,
  store: AuthStore,
  server: RpcServer,
): Promise<Result<void, TrellisError>> {
  // Created with allow_direct by `infra apply`, like every platform bucket.
  const kv = await new Kvm(auth).open(BUCKETS.state.name, { allow_direct: true });
  return mountStateRpcs(server, { callers: new StateCallers(store), state: new StateService(kv) });
}

/**
 * Serves `trellis.state@v1` (runtime-wire.md §6). Owner and contract come
 * from the caller's session; the RpcServer has authenticated the request
 * before any handler runs (the methods need no capability: every app or
 * device holding a session may use the stores its own contract declares).
 */
export function mountStateRpcs(
  server: RpcServer,
  deps: { callers: StateCallers; state: StateService },
): Result<void, TrellisError> {
  const rpc = stateContract().API.owned.rpc;
  const { callers, state } = deps;
  const as =
    <I, O>(op: (caller: StateCaller, input: I) => Promise<Result<O, TrellisError>>) =>
    async ({ input, context }: { input: I; context: RpcContext }): Promise<Result<O, TrellisError>> => {
      const caller = await callers.resolve(context);
      if (caller.isErr()) return err(caller.error);
      return op(caller.value, input);
    };
  const mounts = [
    server.handle(
      rpc["State.Get"],
      as((caller, input) => state.get(caller, input)),
    ),
    server.handle(
      rpc["State.Put"],
      as((caller, input) => state.put(caller, input)),
    ),
    server.handle(
      rpc["State.Delete"],
      as((caller, input) => state.delete(caller, input)),
    ),
    server.handle(
      rpc["State.List"],
      as((caller, input) => state.list(caller, input)),
    ),
  ];
  for (const mounted of mounts) if (mounted.isErr()) return err(mounted.error);
  return ok(undefined);
}
