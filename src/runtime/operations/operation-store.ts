import type { KV } from "@nats-io/kv";
import * as v from "valibot";
import {
  err,
  ok,
  OperationAlreadyTerminalError,
  OperationNotFoundError,
  type KVError,
  type Result,
} from "../../contracts/index.ts";
import { isWrongLastSequence, kvError, type KvOperation } from "../kv/kv-errors.ts";
import { decodeJson, encodeJson } from "../wire/json-body.ts";
import { nextStep, type TransitionRequest } from "./operation-transitions.ts";
import {
  isTerminal,
  RecordSchema,
  StoredEventSchema,
  type OperationRecord,
  type StoredEvent,
  type StoredSignal,
  type WireSnapshot,
} from "./operation-wire.ts";

/** Crockford base32 ULIDs: the only ids the store has keys for (anything else cannot name a key or a subject). */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const isOperationId = (id: string): boolean => ULID.test(id);

export const recKey = (id: string) => `rec.${id}`;
export const evtKey = (id: string, revision: number) => `evt.${id}.${revision}`;
export const sigKey = (id: string, sequence: number) => `sig.${id}.${sequence}`;

export type StoreError = KVError;
/** A record as read: its KV revision (for compare-and-set) and the snapshot rule 4 gives. */
export type ReadRecord = { record: OperationRecord; kvRevision: number; snapshot: WireSnapshot };

/**
 * The §4 commit protocol over `trellis_operations_<service>`: create-only
 * `rec`/`evt`/`sig` keys and compare-and-set on `rec`. The `evt` create is
 * the commit point of a transition, so concurrent writers (any instance)
 * never lose or duplicate a revision; the record lags by at most one event
 * and any reader rolls it forward.
 */
export class OperationStore {
  constructor(private readonly kv: KV) {}

  /** Rule 1: `rec` (revision 1, pending), then `evt.<id>.1` (accepted); only then may the caller reply. */
  async accept(record: OperationRecord): Promise<Result<void, StoreError>> {
    const id = record.snapshot.id;
    const created = await this.#create("create", recKey(id), record);
    if (created.isErr()) return err(created.error);
    const event: StoredEvent = { sequence: 1, event: { type: "accepted", snapshot: record.snapshot } };
    const accepted = await this.#create("create", evtKey(id, 1), event);
    return accepted.isErr() ? err(accepted.error) : ok(undefined);
  }

  /** Rule 4: the record's snapshot, or that of `evt.<id>.<revision+1>` if it exists; `undefined` when unknown. */
  async read(id: string): Promise<Result<ReadRecord | undefined, StoreError>> {
    if (!isOperationId(id)) return ok(undefined);
    const rec = await this.#get(recKey(id), RecordSchema);
    if (rec.isErr() || rec.value === undefined) return rec.isErr() ? err(rec.error) : ok(undefined);
    const { value: record, revision: kvRevision } = rec.value;
    const ahead = await this.#get(evtKey(id, record.snapshot.revision + 1), StoredEventSchema);
    if (ahead.isErr()) return err(ahead.error);
    return ok({ record, kvRevision, snapshot: ahead.value?.value.event.snapshot ?? record.snapshot });
  }

  /**
   * Rule 2 until `request` is applied: roll a lagging record forward, decide
   * with the §3 table, create `evt.<id>.<n+1>` (a lost race starts again),
   * then compare-and-set `rec` (a failure means someone rolled it forward).
   * Progress from `pending` commits `started` first. A request the table
   * makes a no-op returns the current snapshot.
   */
  async commit(
    id: string,
    request: TransitionRequest,
  ): Promise<Result<WireSnapshot, StoreError | OperationNotFoundError | OperationAlreadyTerminalError>> {
    for (;;) {
      const rec = isOperationId(id) ? await this.#get(recKey(id), RecordSchema) : ok(undefined);
      if (rec.isErr()) return err(rec.error);
      if (rec.value === undefined) return err(new OperationNotFoundError(id));
      const { value: record, revision } = rec.value;
      const n = record.snapshot.revision;
      const ahead = await this.#get(evtKey(id, n + 1), StoredEventSchema);
      if (ahead.isErr()) return err(ahead.error);
      if (ahead.value !== undefined) {
        await this.#casSnapshot(id, record, revision, ahead.value.value.event.snapshot);
        continue;
      }
      const step = nextStep(record.snapshot, request, new Date().toISOString());
      if (step.isErr()) return err(step.error);
      const { event, final } = step.value;
      if (event === undefined) return ok(record.snapshot);
      const created = await this.#create("create", evtKey(id, n + 1), { sequence: n + 1, event });
      if (created.isErr()) {
        if (created.error.context?.reason === "exists") continue;
        return err(created.error);
      }
      await this.#casSnapshot(id, record, revision, event.snapshot);
      if (final) return ok(event.snapshot);
    }
  }

  /**
   * Rule 3: refused when terminal; `sig.<id>.<k>` created at the first free
   * `k` after `signalSequence`, then `signalSequence` raised to at least `k`
   * (retried on a lost compare-and-set); only then is the signal accepted.
   */
  async signal(
    id: string,
    signal: Omit<StoredSignal, "sequence">,
  ): Promise<Result<{ stored: StoredSignal; snapshot: WireSnapshot }, StoreError | OperationAlreadyTerminalError>> {
    const read = await this.read(id);
    if (read.isErr()) return err(read.error);
    if (read.value === undefined) return err(kvError("get", recKey(id), "not found"));
    const { snapshot } = read.value;
    if (isTerminal(snapshot)) return err(terminalError(snapshot));
    let k = read.value.record.signalSequence + 1;
    let stored: StoredSignal;
    for (;;) {
      stored = { ...signal, sequence: k };
      const created = await this.#create("create", sigKey(id, k), stored);
      if (created.isOk()) break;
      if (created.error.context?.reason !== "exists") return err(created.error);
      k += 1;
    }
    for (;;) {
      const rec = await this.#get(recKey(id), RecordSchema);
      if (rec.isErr()) return err(rec.error);
      if (rec.value === undefined) return err(kvError("get", recKey(id), "not found"));
      const { value: record, revision } = rec.value;
      if (record.signalSequence >= k) break;
      const updated = await this.#update(recKey(id), { ...record, signalSequence: k }, revision);
      if (updated.isOk()) break;
      if (updated.error.context?.reason !== "revision mismatch") return err(updated.error);
    }
    return ok({ stored, snapshot });
  }

  /** `deferred: true` on the record (§7): retried on a lost compare-and-set, whatever else changed. */
  async markDeferred(id: string): Promise<Result<void, StoreError>> {
    for (;;) {
      const rec = await this.#get(recKey(id), RecordSchema);
      if (rec.isErr()) return err(rec.error);
      if (rec.value === undefined || rec.value.value.deferred === true) return ok(undefined);
      const updated = await this.#update(recKey(id), { ...rec.value.value, deferred: true }, rec.value.revision);
      if (updated.isOk()) return ok(undefined);
      if (updated.error.context?.reason !== "revision mismatch") return err(updated.error);
    }
  }

  /** Rolls the record to `snapshot` at `revision`; losing the race is fine (someone else rolled it). */
  async #casSnapshot(id: string, record: OperationRecord, revision: number, snapshot: WireSnapshot): Promise<void> {
    await this.#update(recKey(id), { ...record, snapshot }, revision);
  }

  async #get<TSchema extends v.GenericSchema>(
    key: string,
    schema: TSchema,
  ): Promise<Result<{ value: v.InferOutput<TSchema>; revision: number } | undefined, StoreError>> {
    try {
      const entry = await this.kv.get(key);
      if (entry === null || entry.operation !== "PUT") return ok(undefined);
      const decoded = decodeJson(entry.value);
      const parsed = decoded.isOk() ? v.safeParse(schema, decoded.value) : undefined;
      if (parsed === undefined || !parsed.success) return err(kvError("get", key, "unavailable", "unreadable value"));
      return ok({ value: parsed.output, revision: entry.revision });
    } catch (error) {
      return err(kvError("get", key, "unavailable", error));
    }
  }

  #create(operation: KvOperation, key: string, value: unknown): Promise<Result<number, StoreError>> {
    return this.#write(operation, key, value, (bytes) => this.kv.create(key, bytes));
  }

  #update(key: string, value: unknown, revision: number): Promise<Result<number, StoreError>> {
    return this.#write("update", key, value, (bytes) => this.kv.update(key, bytes, revision));
  }

  async #write(
    operation: KvOperation,
    key: string,
    value: unknown,
    publish: (bytes: Uint8Array) => Promise<number>,
  ): Promise<Result<number, StoreError>> {
    const bytes = encodeJson(value);
    if (bytes.isErr()) return err(kvError(operation, key, "unavailable", bytes.error));
    try {
      return ok(await publish(bytes.value));
    } catch (error) {
      if (isWrongLastSequence(error) || isKeyExists(error)) {
        return err(kvError(operation, key, operation === "create" ? "exists" : "revision mismatch"));
      }
      return err(kvError(operation, key, "unavailable", error));
    }
  }
}

/** nats.js's create re-reads after a wrong-last-sequence and throws its own "key exists" error. */
function isKeyExists(error: unknown): boolean {
  return error instanceof Error && /key exists|wrong last sequence/i.test(error.message);
}

export function terminalError(snapshot: WireSnapshot): OperationAlreadyTerminalError {
  return new OperationAlreadyTerminalError({
    operationId: snapshot.id,
    state: snapshot.state,
    operation: snapshot.operation,
    service: snapshot.service,
  });
}
