import { AsyncResult, err, ok, stateContract, type Result, type ValidationError } from "../../contracts/index.ts";
import type { RuntimeContract } from "../facade/contract-shape.ts";
import { moduleSchema } from "../resources/module-schema.ts";
import { valueCheck, type ValueCheck } from "../resources/value-check.ts";
import type { RpcClient } from "../rpc/rpc-client.ts";
import type {
  MapState,
  StateEntry,
  StateError,
  StateListPage,
  StatePutResult,
  StateRead,
  StateWriteOptions,
  ValueState,
} from "./state-types.ts";

type WireEntry = { key?: string; value: unknown; revision: string; updatedAt: string; expiresAt?: string };

const DEFAULT_LIST_LIMIT = 100;

/**
 * `client.state.<store>` for every store the contract declares, calling
 * `rpc.v1.State.*` with the `trellis.state@v1` descriptors (their declared
 * errors are rebuilt as typed errors). Values are checked with the store's
 * schema before sending (ValidationError, nothing sent) and again when read;
 * the server checks writes against the approved manifest as well.
 */
export function stateFacade(
  rpc: RpcClient,
  contract: RuntimeContract,
): Record<string, ValueState<unknown> | MapState<unknown>> {
  const out: Record<string, ValueState<unknown> | MapState<unknown>> = {};
  for (const [store, declaration] of Object.entries(contract.CONTRACT.state ?? {})) {
    const name = declaration.schema.schema;
    const check = valueCheck(moduleSchema(contract, name), contract.CONTRACT, name);
    const calls = new StateCalls(rpc, store, check);
    const map: MapState<unknown> = {
      get: (key) => calls.get(key),
      put: (key, value, options) => calls.put(key, value, options),
      delete: (key, options) => calls.delete(key, options?.expectedRevision),
      list: (options = {}) => calls.list(options),
    };
    const value: ValueState<unknown> = {
      get: () => calls.get(undefined),
      put: (next, options) => calls.put(undefined, next, options),
      delete: (options) => calls.delete(undefined, options?.expectedRevision),
    };
    out[store] = Object.freeze(declaration.kind === "map" ? map : value);
  }
  return Object.freeze(out);
}

class StateCalls {
  readonly #rpc = stateContract().API.owned.rpc;

  constructor(
    private readonly client: RpcClient,
    private readonly store: string,
    private readonly check: ValueCheck<unknown>,
  ) {}

  get(key: string | undefined): AsyncResult<StateRead<unknown>, StateError> {
    return this.client
      .call(this.#rpc["State.Get"], this.#address(key))
      .andThen((reply): Result<StateRead<unknown>, StateError> => {
        if ("migrationRequired" in reply)
          return ok({ ...reply, found: true as const, entry: Object.freeze(reply.entry) });
        if (!reply.found) return ok({ found: false as const });
        return this.#entry(reply.entry, "/entry/value").map((entry) => ({
          found: true as const,
          migrationRequired: false as const,
          entry,
        }));
      });
  }

  put(
    key: string | undefined,
    value: unknown,
    options: StateWriteOptions = {},
  ): AsyncResult<StatePutResult<unknown>, StateError> {
    const checked = this.check(value, "/value");
    if (checked.isErr()) return AsyncResult.err(checked.error);
    const input = {
      ...this.#address(key),
      value: checked.value,
      ...(options.expectedRevision === undefined ? {} : { expectedRevision: options.expectedRevision }),
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    };
    return this.client
      .call(this.#rpc["State.Put"], input)
      .andThen((reply): Result<StatePutResult<unknown>, StateError> => {
        if (reply.applied)
          return this.#entry(reply.entry, "/entry/value").map((entry) => ({ applied: true as const, entry }));
        if (reply.entry === undefined) return ok({ applied: false as const, found: reply.found });
        return this.#entry(reply.entry, "/entry/value").map((entry) => ({
          applied: false as const,
          found: reply.found,
          entry,
        }));
      });
  }

  delete(key: string | undefined, expectedRevision: string | undefined): AsyncResult<boolean, StateError> {
    const input = { ...this.#address(key), ...(expectedRevision === undefined ? {} : { expectedRevision }) };
    return this.client.call(this.#rpc["State.Delete"], input).map((reply) => reply.deleted);
  }

  list(options: { prefix?: string; offset?: number; limit?: number }): AsyncResult<StateListPage<unknown>, StateError> {
    const input = {
      store: this.store,
      limit: options.limit ?? DEFAULT_LIST_LIMIT,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(options.offset === undefined ? {} : { offset: options.offset }),
    };
    return this.client.call(this.#rpc["State.List"], input).andThen((reply) => {
      const entries: StateEntry<unknown>[] = [];
      for (const [index, raw] of reply.entries.entries()) {
        const entry = this.#entry(raw, `/entries/${index}/value`);
        if (entry.isErr()) return err(entry.error);
        entries.push(entry.value);
      }
      return ok({ ...reply, entries });
    });
  }

  #address(key: string | undefined) {
    return key === undefined ? { store: this.store } : { store: this.store, key };
  }

  #entry(raw: WireEntry, path: string): Result<StateEntry<unknown>, ValidationError> {
    return this.check(raw.value, path).map((value) => Object.freeze({ ...raw, value }));
  }
}
