import type { KV, KvEntry } from "@nats-io/kv";
import * as v from "valibot";
import { StateEnvelopeSchema, type StateEnvelope } from "./state-envelope.ts";

/**
 * One key of `trellis_state` as the state RPCs see it: live (a value that
 * has not expired), or absent — never written, deleted, or expired — with
 * the revision of whatever message the key holds (0: none), which is what
 * a create-if-absent write must expect.
 */
export type StoredState =
  | { kind: "live"; envelope: StateEnvelope; revision: number }
  /** `expired`: the key still holds a value, past its `expiresAt` (to be deleted). */
  | { kind: "absent"; lastRevision: number; expired?: true };

const decoder = new TextDecoder();

export class CorruptStateError extends Error {}

export function storedStateOf(entry: KvEntry | null, nowMs: number): StoredState {
  if (entry === null) return { kind: "absent", lastRevision: 0 };
  if (entry.operation !== "PUT") return { kind: "absent", lastRevision: entry.revision };
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(entry.value));
  } catch {
    throw new CorruptStateError(`${entry.key}: not JSON`);
  }
  const parsed = v.safeParse(StateEnvelopeSchema, raw);
  if (!parsed.success) throw new CorruptStateError(`${entry.key}: ${v.summarize(parsed.issues)}`);
  const envelope = parsed.output;
  if (envelope.expiresAt !== undefined && Date.parse(envelope.expiresAt) <= nowMs) {
    return { kind: "absent", lastRevision: entry.revision, expired: true };
  }
  return { kind: "live", envelope, revision: entry.revision };
}

export async function readState(kv: KV, key: string, nowMs: number): Promise<StoredState> {
  return storedStateOf(await kv.get(key), nowMs);
}

/**
 * The last message of every key under `filter`: with history 1 the stream
 * holds exactly one per key, so the full history is the current state.
 */
export async function scanState(kv: KV, filter: string): Promise<KvEntry[]> {
  const entries: KvEntry[] = [];
  for await (const entry of await kv.history({ key: filter })) entries.push(entry);
  return entries;
}
