import { KvWatchInclude, type KV, type KvEntry as NatsKvEntry } from "@nats-io/kv";
import { AsyncResult, err, ok, ValidationError, type KVError, type Result } from "../../contracts/index.ts";
import type { KvBinding } from "../connect/bootstrap-schemas.ts";
import type { Logger } from "../observability/logger.ts";
import type { ValueCheck } from "../resources/value-check.ts";
import { decodeJson, encodeJson } from "../wire/json-body.ts";
import { isWrongLastSequence, kvError, type KvOperation } from "./kv-errors.ts";
import { decodeKvKey, encodeKvFilter, encodeKvKey } from "./kv-keys.ts";
import type { KvEntry, KvStatus, KvStore, KvWatch, KvWatchOptions } from "./kv-types.ts";
import { kvWatch } from "./kv-watch.ts";

type WriteError = KVError | ValidationError;

/**
 * One kv resource over the bucket the control plane created (runtime-wire.md
 * §6). Only the subjects granted for the binding are used: writes are
 * publishes to `$KV.<bucket>.<key>` (with `Nats-Expected-Last-Subject-Sequence`
 * for create and compare-and-set), reads are direct gets, `keys`/`watch` are
 * ordered push consumers on `KV_<bucket>`, `status` is the stream's info.
 * The nats.js client is bound without any lookup (`Kvm.open` binds).
 */
export class KvResource<TValue> implements KvStore<TValue> {
  constructor(
    private readonly kv: KV,
    private readonly binding: KvBinding,
    private readonly check: ValueCheck<TValue>,
    private readonly logger: Logger,
  ) {}

  get(key: string): AsyncResult<KvEntry<TValue>, WriteError> {
    return this.#run("get", key, async (): Promise<Result<KvEntry<TValue>, WriteError>> => {
      const entry = await this.kv.get(encodeKvKey(key));
      if (entry === null || entry.operation !== "PUT") return err(kvError("get", key, "not found"));
      return this.#entry(key, entry);
    });
  }

  create(key: string, value: TValue): AsyncResult<KvEntry<TValue>, WriteError> {
    return this.#write("create", key, value, (bytes) => this.kv.create(encodeKvKey(key), bytes));
  }

  put(key: string, value: TValue): AsyncResult<KvEntry<TValue>, WriteError> {
    return this.#write("put", key, value, (bytes) => this.kv.put(encodeKvKey(key), bytes));
  }

  delete(key: string): AsyncResult<void, KVError> {
    return this.#run("delete", key, async () => ok(await this.kv.delete(encodeKvKey(key))));
  }

  keys(filter = ">"): AsyncResult<AsyncIterable<string>, KVError> {
    return this.#run("keys", undefined, async () => {
      // Collected before returning, so a failure is this call's Err rather than a throw mid-loop.
      const keys: string[] = [];
      for await (const stored of await this.kv.keys(encodeKvFilter(filter))) keys.push(decodeKvKey(stored));
      return ok(iterate(keys));
    });
  }

  watch(filter = ">", options: KvWatchOptions = {}): AsyncResult<KvWatch<TValue>, KVError> {
    return this.#run("watch", undefined, async () => {
      const iterator = await this.kv.watch({
        key: encodeKvFilter(filter),
        include: options.includeCurrent === false ? KvWatchInclude.UpdatesOnly : KvWatchInclude.LastValue,
      });
      return ok(
        kvWatch(iterator, options.signal, (entry) => {
          const key = decodeKvKey(entry.key);
          if (entry.operation !== "PUT") return { kind: "delete", key, revision: entry.revision };
          const read = this.#entry(key, entry);
          if (read.isOk()) return { kind: "put", entry: read.value };
          // Someone wrote around this schema (another writer, an older digest): logged, not delivered.
          this.logger.warn({ bucket: this.binding.bucket, key, error: read.error }, "kv watch: invalid value skipped");
          return undefined;
        }),
      );
    });
  }

  status(): AsyncResult<KvStatus, KVError> {
    return this.#run("status", undefined, async () => {
      const status = await this.kv.status();
      const { bucket, history, ttlMs, maxValueBytes } = this.binding;
      return ok({
        bucket,
        values: status.values,
        bytes: status.size,
        history,
        ttlMs,
        ...(maxValueBytes === undefined ? {} : { maxValueBytes }),
      });
    });
  }

  /** Validates and encodes, then publishes; `compareAndSet` writes only at `revision`. */
  #write(
    operation: KvOperation,
    key: string,
    value: TValue,
    publish: (bytes: Uint8Array) => Promise<number>,
  ): AsyncResult<KvEntry<TValue>, WriteError> {
    return this.#run(operation, key, async (): Promise<Result<KvEntry<TValue>, WriteError>> => {
      const checked = this.check(value);
      if (checked.isErr()) return err(checked.error);
      const bytes = encodeJson(checked.value);
      if (bytes.isErr()) return err(bytes.error);
      const limit = this.binding.maxValueBytes;
      if (limit !== undefined && bytes.value.length > limit) {
        return err(
          new ValidationError([
            { path: "", message: `is ${bytes.value.length} bytes of JSON, more than maxValueBytes ${limit}` },
          ]),
        );
      }
      let revision: number;
      try {
        revision = await publish(bytes.value);
      } catch (error) {
        if (isWrongLastSequence(error)) {
          return err(kvError(operation, key, operation === "create" ? "exists" : "revision mismatch"));
        }
        throw error;
      }
      return ok(this.#handle(key, checked.value, revision, new Date()));
    });
  }

  #entry(key: string, entry: NatsKvEntry): Result<KvEntry<TValue>, ValidationError> {
    const decoded = decodeJson(entry.value);
    if (decoded.isErr()) return err(new ValidationError([{ path: "", message: "the stored value is not JSON" }]));
    const checked = this.check(decoded.value);
    if (checked.isErr()) return err(checked.error);
    return ok(this.#handle(key, checked.value, entry.revision, entry.created));
  }

  #handle(key: string, value: TValue, revision: number, updatedAt: Date): KvEntry<TValue> {
    const encoded = encodeKvKey(key);
    return Object.freeze({
      key,
      value,
      revision,
      updatedAt: updatedAt.toISOString(),
      put: (next: TValue, compareAndSet = false) =>
        compareAndSet
          ? this.#write("update", key, next, (bytes) => this.kv.update(encoded, bytes, revision))
          : this.put(key, next),
      delete: (compareAndSet = false) =>
        this.#run("delete", key, async () => {
          try {
            await this.kv.delete(encoded, compareAndSet ? { previousSeq: revision } : undefined);
          } catch (error) {
            if (compareAndSet && isWrongLastSequence(error)) return err(kvError("delete", key, "revision mismatch"));
            throw error;
          }
          return ok(undefined);
        }),
    });
  }

  /** Every call is one AsyncResult; an exception of the client is KVError "unavailable" with its message. */
  #run<T, E extends KVError | ValidationError>(
    operation: KvOperation,
    key: string | undefined,
    body: () => Promise<Result<T, E>>,
  ): AsyncResult<T, E | KVError> {
    return new AsyncResult<T, E | KVError>(
      body().then(
        (result): Result<T, E | KVError> => result,
        (error: unknown) => err(kvError(operation, key, "unavailable", error)),
      ),
    );
  }
}

async function* iterate<T>(values: readonly T[]): AsyncIterable<T> {
  yield* values;
}
