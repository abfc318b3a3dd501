import type { KV } from "@nats-io/kv";
import {
  checkJsonSchemaValue,
  err,
  KVError,
  ok,
  UnexpectedError,
  ValidationError,
  type Result,
  type stateContract,
  type SurfaceInput,
  type SurfaceOutput,
  type TrellisError,
} from "../../contracts/index.ts";
import { isWrongLastSequence } from "../../runtime/index.ts";
import { wireEntry, type StateEnvelope } from "./state-envelope.ts";
import { CorruptStateError, readState, scanState, storedStateOf, type StoredState } from "./state-entries.ts";
import { unescapeStatePart, VALUE_LEAF } from "./state-keys.ts";
import { stateTarget, targetKey, type StateCaller, type StateTarget } from "./state-caller.ts";

type Rpc = ReturnType<typeof stateContract>["API"]["owned"]["rpc"];
type In<N extends keyof Rpc> = SurfaceInput<Rpc[N]>;
type Out<N extends keyof Rpc> = SurfaceOutput<Rpc[N]>;
type Reply<N extends keyof Rpc> = Promise<Result<Out<N>, TrellisError>>;

/** Spec limit on a value: its JSON text. */
export const MAX_STATE_VALUE_BYTES = 64 * 1024;

const encoder = new TextEncoder();

/**
 * `State.Get|Put|Delete|List` (runtime-wire.md §6) over `trellis_state`.
 * Every write is a compare-and-set on the key's last revision (the
 * `Nats-Expected-Last-Subject-Sequence` of a KV update), so a conditional
 * Put or Delete that loses a race reports `applied: false` / `deleted:
 * false` instead of overwriting; expired entries read as absent and are
 * deleted (best effort, at their revision) when seen.
 */
export class StateService {
  constructor(
    private readonly kv: KV,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async get(caller: StateCaller, input: In<"State.Get">): Reply<"State.Get"> {
    return this.#guard<Out<"State.Get">>("get", async () => {
      const target = stateTarget(caller, input.store);
      if (target.isErr()) return err(target.error);
      const key = targetKey(target.value, input.key);
      if (key.isErr()) return err(key.error);
      const stored = await this.#read(key.value);
      if (stored.kind === "absent") return ok({ found: false as const });
      const entry = wireEntry(stored.envelope, stored.revision, input.key);
      if (stored.envelope.stateVersion !== target.value.stateVersion) {
        return ok({
          migrationRequired: true as const,
          entry,
          stateVersion: stored.envelope.stateVersion,
          currentStateVersion: target.value.stateVersion,
          writerContractDigest: stored.envelope.writerContractDigest,
        });
      }
      return ok({ found: true as const, entry });
    });
  }

  async put(caller: StateCaller, input: In<"State.Put">): Reply<"State.Put"> {
    return this.#guard<Out<"State.Put">>("put", async () => {
      const target = stateTarget(caller, input.store);
      if (target.isErr()) return err(target.error);
      const key = targetKey(target.value, input.key);
      if (key.isErr()) return err(key.error);
      const checked = checkValue(target.value, input.value);
      if (checked.isErr()) return err(checked.error);

      const current = await this.#read(key.value);
      const expected = input.expectedRevision;
      if (expected === null && current.kind === "live") return ok(notApplied(current, input.key));
      if (typeof expected === "string" && (current.kind !== "live" || String(current.revision) !== expected)) {
        return ok(notApplied(current, input.key));
      }

      const now = this.nowMs();
      const envelope: StateEnvelope = {
        value: input.value,
        updatedAt: new Date(now).toISOString(),
        ...(input.ttlMs === undefined ? {} : { expiresAt: new Date(now + input.ttlMs).toISOString() }),
        stateVersion: target.value.stateVersion,
        writerContractDigest: caller.contractDigest,
      };
      const bytes = encoder.encode(JSON.stringify(envelope));
      let revision: number;
      try {
        // Unconditional puts overwrite; conditional ones expect exactly the revision just judged.
        revision =
          expected === undefined
            ? await this.kv.put(key.value, bytes)
            : await this.kv.put(key.value, bytes, { previousSeq: lastRevision(current) });
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        return ok(notApplied(await this.#read(key.value), input.key));
      }
      return ok({ applied: true as const, entry: wireEntry(envelope, revision, input.key) });
    });
  }

  async delete(caller: StateCaller, input: In<"State.Delete">): Reply<"State.Delete"> {
    return this.#guard<Out<"State.Delete">>("delete", async () => {
      const target = stateTarget(caller, input.store);
      if (target.isErr()) return err(target.error);
      const key = targetKey(target.value, input.key);
      if (key.isErr()) return err(key.error);
      const current = await this.#read(key.value);
      if (current.kind !== "live") return ok({ deleted: false });
      if (input.expectedRevision !== undefined && String(current.revision) !== input.expectedRevision) {
        return ok({ deleted: false });
      }
      try {
        await this.kv.delete(
          key.value,
          input.expectedRevision === undefined ? undefined : { previousSeq: current.revision },
        );
      } catch (error) {
        if (isWrongLastSequence(error)) return ok({ deleted: false });
        throw error;
      }
      return ok({ deleted: true });
    });
  }

  async list(caller: StateCaller, input: In<"State.List">): Reply<"State.List"> {
    return this.#guard<Out<"State.List">>("list", async () => {
      const target = stateTarget(caller, input.store);
      if (target.isErr()) return err(target.error);
      if (target.value.kind !== "map") {
        return err(new ValidationError([{ path: "/store", message: `'${input.store}' is a value store: use Get` }]));
      }
      const now = this.nowMs();
      const entries: ReturnType<typeof wireEntry>[] = [];
      for (const raw of await scanState(this.kv, `${target.value.prefix}*`)) {
        const leaf = raw.key.slice(target.value.prefix.length);
        const mapKey = leaf === VALUE_LEAF ? undefined : unescapeStatePart(leaf);
        if (mapKey === undefined) continue;
        if (input.prefix !== undefined && !mapKey.startsWith(input.prefix)) continue;
        const stored = storedStateOf(raw, now);
        if (stored.kind === "absent") {
          this.#expire(raw.key, stored);
          continue;
        }
        // Entries of an older stateVersion are not listed: Get reports them as migration-required.
        if (stored.envelope.stateVersion !== target.value.stateVersion) continue;
        entries.push(wireEntry(stored.envelope, stored.revision, mapKey));
      }
      entries.sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0));
      const offset = input.offset ?? 0;
      const end = offset + input.limit;
      return ok({
        entries: entries.slice(offset, end),
        count: entries.length,
        offset,
        limit: input.limit,
        ...(end < entries.length ? { nextOffset: end } : {}),
      });
    });
  }

  async #read(key: string): Promise<StoredState> {
    const stored = await readState(this.kv, key, this.nowMs());
    this.#expire(key, stored);
    return stored;
  }

  /** An expired value is deleted at its revision, so a write that raced it is never removed. */
  #expire(key: string, stored: StoredState): void {
    if (stored.kind !== "absent" || stored.expired !== true) return;
    void this.kv
      .get(key)
      .then((entry) => {
        if (entry?.operation === "PUT" && entry.revision === stored.lastRevision) {
          return this.kv.delete(key, { previousSeq: stored.lastRevision });
        }
        return undefined;
      })
      .catch(() => undefined);
  }

  /** Bucket failures are KVError `unavailable`; a stored entry that does not parse is an UnexpectedError. */
  async #guard<T>(operation: string, body: () => Promise<Result<T, TrellisError>>): Promise<Result<T, TrellisError>> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof CorruptStateError) {
        return err(new UnexpectedError({ context: { reason: "corrupt state entry", detail: error.message } }));
      }
      const causeMessage = error instanceof Error ? error.message : String(error);
      return err(
        new KVError("the state bucket could not be reached", {
          operation,
          context: { reason: "unavailable", causeMessage },
        }),
      );
    }
  }
}

/** A Put that did not write: whether the key holds a live entry, and that entry. */
function notApplied(stored: StoredState, key: string | undefined) {
  return stored.kind === "live"
    ? { applied: false as const, found: true, entry: wireEntry(stored.envelope, stored.revision, key) }
    : { applied: false as const, found: false };
}

function lastRevision(stored: StoredState): number {
  return stored.kind === "live" ? stored.revision : stored.lastRevision;
}

function checkValue(target: StateTarget, value: unknown): Result<void, ValidationError> {
  if (value === undefined) return err(new ValidationError([{ path: "/value", message: "is required" }]));
  const text = JSON.stringify(value);
  const size = text === undefined ? 0 : encoder.encode(text).length;
  if (size > MAX_STATE_VALUE_BYTES) {
    return err(
      new ValidationError([
        { path: "/value", message: `is ${size} bytes of JSON, more than ${MAX_STATE_VALUE_BYTES}` },
      ]),
    );
  }
  return target.schema === undefined ? ok(undefined) : checkJsonSchemaValue(target.schema, value, "/value");
}
