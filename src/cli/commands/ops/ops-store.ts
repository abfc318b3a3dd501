import type { KV } from "@nats-io/kv";
import * as v from "valibot";
import {
  OperationRecordSchema,
  StoredOperationEventSchema,
  type OperationRecord,
  type StoredOperationEvent,
} from "../../../runtime/index.ts";

/** Reads of a service's operation-state bucket in the §4 layout (`rec.<id>`, `evt.<id>.<revision>`). */

export type Snapshot = OperationRecord["snapshot"];
export type ListedOperation = { snapshot: Snapshot; owner: string };

const decode = <S extends v.GenericSchema>(schema: S, bytes: Uint8Array): v.InferOutput<S> | undefined => {
  try {
    const parsed = v.safeParse(schema, JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
};

/** Every record, newest update first; entries that do not decode are skipped. */
export async function listOperations(kv: KV): Promise<ListedOperation[]> {
  const keys: string[] = [];
  for await (const key of await kv.keys("rec.>")) keys.push(key);
  const listed: ListedOperation[] = [];
  for (const key of keys) {
    const entry = await kv.get(key);
    if (entry === null || entry.operation !== "PUT") continue;
    const record = decode(OperationRecordSchema, entry.value);
    if (record !== undefined)
      listed.push({ snapshot: latestSnapshot(record, undefined), owner: record.owner.principal });
  }
  return listed.sort((a, b) => (a.snapshot.updatedAt < b.snapshot.updatedAt ? 1 : -1));
}

/** Read rule 4: the record's snapshot, or that of `evt.<id>.<revision+1>` when the record lags by one. */
export async function readOperation(
  kv: KV,
  id: string,
): Promise<{ snapshot: Snapshot; record: OperationRecord } | undefined> {
  const entry = await kv.get(`rec.${id}`);
  if (entry === null || entry.operation !== "PUT") return undefined;
  const record = decode(OperationRecordSchema, entry.value);
  if (record === undefined) return undefined;
  const next = await kv.get(`evt.${id}.${record.snapshot.revision + 1}`);
  const ahead = next === null || next.operation !== "PUT" ? undefined : decode(StoredOperationEventSchema, next.value);
  return { snapshot: latestSnapshot(record, ahead), record };
}

function latestSnapshot(record: OperationRecord, ahead: StoredOperationEvent | undefined): Snapshot {
  return ahead === undefined ? record.snapshot : ahead.event.snapshot;
}

export { decode as decodeStored };
