import type { KV } from "@nats-io/kv";
import * as v from "valibot";
import { err, ok, type Result } from "../../contracts/index.ts";

/** Why a record could not be used: its bytes do not parse, or the bucket did not answer. */
export type StoreFailure = { kind: "corrupt" | "unavailable"; bucket: string; key: string; message: string };

export type Entry<T> = { value: T; revision: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `create`/`update` lost a race: someone else wrote first. */
const isWrongSequence = (error: unknown) => /wrong last sequence|key exists/i.test(describe(error));

/**
 * A KV bucket of one record type. Reads validate with the record's schema;
 * exceptions of the client (timeouts, no JetStream) become `unavailable`
 * failures, so callers decide (the callout denies) instead of crashing.
 */
export class RecordBucket<S extends v.GenericSchema> {
  constructor(
    readonly kv: KV,
    readonly name: string,
    readonly schema: S,
  ) {}

  async get(key: string): Promise<Result<Entry<v.InferOutput<S>> | undefined, StoreFailure>> {
    let entry;
    try {
      entry = await this.kv.get(key);
    } catch (error) {
      return err(this.#failure("unavailable", key, describe(error)));
    }
    if (entry === null || entry.operation !== "PUT") return ok(undefined);
    let raw: unknown;
    try {
      raw = JSON.parse(decoder.decode(entry.value));
    } catch {
      return err(this.#failure("corrupt", key, "not JSON"));
    }
    const parsed = v.safeParse(this.schema, raw);
    if (!parsed.success) return err(this.#failure("corrupt", key, v.summarize(parsed.issues)));
    return ok({ value: parsed.output, revision: entry.revision });
  }

  async put(key: string, value: v.InferOutput<S>): Promise<Result<number, StoreFailure>> {
    try {
      return ok(await this.kv.put(key, encoder.encode(JSON.stringify(value))));
    } catch (error) {
      return err(this.#failure("unavailable", key, describe(error)));
    }
  }

  /** Create-if-absent: `Ok(false)` when the key already holds a value. */
  async create(key: string, value: v.InferOutput<S>): Promise<Result<boolean, StoreFailure>> {
    try {
      await this.kv.create(key, encoder.encode(JSON.stringify(value)));
      return ok(true);
    } catch (error) {
      if (isWrongSequence(error)) return ok(false);
      return err(this.#failure("unavailable", key, describe(error)));
    }
  }

  /** Compare-and-set on `revision`: `Ok(false)` when the record changed (or was deleted) meanwhile. */
  async update(key: string, value: v.InferOutput<S>, revision: number): Promise<Result<boolean, StoreFailure>> {
    try {
      await this.kv.update(key, encoder.encode(JSON.stringify(value)), revision);
      return ok(true);
    } catch (error) {
      if (isWrongSequence(error)) return ok(false);
      return err(this.#failure("unavailable", key, describe(error)));
    }
  }

  async delete(key: string): Promise<Result<void, StoreFailure>> {
    try {
      await this.kv.delete(key);
      return ok(undefined);
    } catch (error) {
      return err(this.#failure("unavailable", key, describe(error)));
    }
  }

  /** Keys matching a filter (`>` by default); for admin paths, not the connect path. */
  async keys(filter = ">"): Promise<Result<string[], StoreFailure>> {
    try {
      const keys: string[] = [];
      for await (const key of await this.kv.keys(filter)) keys.push(key);
      return ok(keys.sort());
    } catch (error) {
      return err(this.#failure("unavailable", filter, describe(error)));
    }
  }

  /** Every record under a filter; corrupt ones are reported, not skipped silently. */
  async list(filter = ">"): Promise<Result<{ key: string; value: v.InferOutput<S> }[], StoreFailure>> {
    const keys = await this.keys(filter);
    if (keys.isErr()) return err(keys.error);
    const out: { key: string; value: v.InferOutput<S> }[] = [];
    for (const key of keys.value) {
      const entry = await this.get(key);
      if (entry.isErr()) return err(entry.error);
      if (entry.value !== undefined) out.push({ key, value: entry.value.value });
    }
    return ok(out);
  }

  #failure(kind: StoreFailure["kind"], key: string, message: string): StoreFailure {
    return { kind, bucket: this.name, key, message };
  }
}
