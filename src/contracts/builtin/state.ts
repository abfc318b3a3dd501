import * as v from "valibot";
import { defineServiceContract } from "../authoring/define-contract.ts";

const storeKey = { store: v.string(), key: v.optional(v.string()) };

export const StateEntrySchema = v.object({
  key: v.optional(v.string()),
  value: v.unknown(),
  revision: v.string(),
  updatedAt: v.string(),
  expiresAt: v.optional(v.string()),
});

export const StateGetResultSchema = v.union([
  v.object({ found: v.literal(false) }),
  v.object({ found: v.literal(true), entry: StateEntrySchema }),
  v.object({
    migrationRequired: v.literal(true),
    entry: StateEntrySchema,
    stateVersion: v.string(),
    currentStateVersion: v.string(),
    writerContractDigest: v.string(),
  }),
]);

export const StatePutSchema = v.object({
  ...storeKey,
  value: v.unknown(),
  // Omitted: unconditional; null: create if absent; a string: only at that revision.
  expectedRevision: v.optional(v.nullable(v.string())),
  ttlMs: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
});

export const StatePutResultSchema = v.union([
  v.object({ applied: v.literal(true), entry: StateEntrySchema }),
  v.object({ applied: v.literal(false), found: v.boolean(), entry: v.optional(StateEntrySchema) }),
]);

export const StateListSchema = v.object({
  store: v.string(),
  prefix: v.optional(v.string()),
  offset: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  limit: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(100)),
});

export const StateListResultSchema = v.object({
  entries: v.array(StateEntrySchema),
  count: v.pipe(v.number(), v.safeInteger()),
  offset: v.pipe(v.number(), v.safeInteger()),
  limit: v.pipe(v.number(), v.safeInteger()),
  nextOffset: v.optional(v.pipe(v.number(), v.safeInteger())),
});

const defineStateContract = () =>
  defineServiceContract(
    {
      schemas: {
        StateKey: v.object(storeKey),
        StateGetResult: StateGetResultSchema,
        StatePut: StatePutSchema,
        StatePutResult: StatePutResultSchema,
        StateDelete: v.object({ ...storeKey, expectedRevision: v.optional(v.string()) }),
        StateDeleteResult: v.object({ deleted: v.boolean() }),
        StateList: StateListSchema,
        StateListResult: StateListResultSchema,
      },
    },
    (ref) => {
      const errors = [
        ref.error("ValidationError"),
        ref.error("KVError"),
        ref.error("AuthError"),
        ref.error("UnexpectedError"),
      ];
      return {
        id: "trellis.state@v1",
        displayName: "Trellis state",
        description: "State stores owned by users and devices, namespaced by contract.",
        rpc: {
          "State.Get": { version: "v1", input: ref.schema("StateKey"), output: ref.schema("StateGetResult"), errors },
          "State.Put": { version: "v1", input: ref.schema("StatePut"), output: ref.schema("StatePutResult"), errors },
          "State.Delete": {
            version: "v1",
            input: ref.schema("StateDelete"),
            output: ref.schema("StateDeleteResult"),
            errors,
          },
          "State.List": {
            version: "v1",
            input: ref.schema("StateList"),
            output: ref.schema("StateListResult"),
            errors,
          },
        },
      };
    },
  );

export type StateContract = ReturnType<typeof defineStateContract>;
let stateContractModule: StateContract | undefined;

/** `trellis.state@v1` (runtime-wire.md §6): per-user and per-device state stores declared in `state`. */
export function stateContract(): StateContract {
  stateContractModule ??= defineStateContract();
  return stateContractModule;
}
