import * as v from "valibot";

/**
 * What `trellis_state` holds per entry (runtime-wire.md §6 "envelopes add
 * `stateVersion`, `writerContractDigest`"): the value plus when it was
 * written, when it expires (per-entry TTL; expired = absent), and which
 * version of the store's schema the writer's contract declared.
 */
export const StateEnvelopeSchema = v.object({
  value: v.unknown(),
  updatedAt: v.string(),
  expiresAt: v.optional(v.string()),
  stateVersion: v.string(),
  writerContractDigest: v.string(),
});
export type StateEnvelope = v.InferOutput<typeof StateEnvelopeSchema>;

/** The wire entry of an envelope (§6 `{key?, value, revision, updatedAt, expiresAt?}`). */
export function wireEntry(envelope: StateEnvelope, revision: number, mapKey: string | undefined) {
  return {
    ...(mapKey === undefined ? {} : { key: mapKey }),
    value: envelope.value,
    revision: String(revision),
    updatedAt: envelope.updatedAt,
    ...(envelope.expiresAt === undefined ? {} : { expiresAt: envelope.expiresAt }),
  };
}
