import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import * as v from "valibot";
import { BUCKETS, type BucketName } from "../infra/definitions.ts";
import { RecordBucket } from "./record-bucket.ts";
import {
  ApprovalRecordSchema,
  DenialRecordSchema,
  DeploymentRecordSchema,
  InstanceRecordSchema,
  PresenceRecordSchema,
  ResourceRecordSchema,
  SessionRecordSchema,
  UserRecordSchema,
} from "./records.ts";

/** A manifest as stored: validated again with `loadManifest` by whoever reads it. */
const StoredContractSchema = v.object({ digest: v.string(), manifest: v.unknown() });

/**
 * Every auth bucket of the AUTH account, opened once (the replay cache is in
 * TRELLIS and claimed through the runtime's JetStreamReplayGuard). All replicas of the
 * control plane share these; nothing about principals is kept only in memory.
 */
export class AuthStore {
  private constructor(
    readonly users: RecordBucket<typeof UserRecordSchema>,
    readonly deployments: RecordBucket<typeof DeploymentRecordSchema>,
    readonly instances: RecordBucket<typeof InstanceRecordSchema>,
    readonly approvals: RecordBucket<typeof ApprovalRecordSchema>,
    readonly sessions: RecordBucket<typeof SessionRecordSchema>,
    readonly contracts: RecordBucket<typeof StoredContractSchema>,
    readonly resources: RecordBucket<typeof ResourceRecordSchema>,
    readonly connections: RecordBucket<typeof PresenceRecordSchema>,
    readonly denials: RecordBucket<typeof DenialRecordSchema>,
  ) {}

  /** Opens (never creates: that is `trellis infra apply`) every bucket. */
  static async open(nc: NatsConnection): Promise<AuthStore> {
    const kvm = new Kvm(nc);
    // Every platform bucket is created with allow_direct, so gets are served by any replica.
    const open = (name: BucketName) => kvm.open(BUCKETS[name].name, { allow_direct: true });
    const bucket = async <S extends v.GenericSchema>(name: BucketName, schema: S) =>
      new RecordBucket(await open(name), BUCKETS[name].name, schema);
    return new AuthStore(
      await bucket("users", UserRecordSchema),
      await bucket("deployments", DeploymentRecordSchema),
      await bucket("instances", InstanceRecordSchema),
      await bucket("approvals", ApprovalRecordSchema),
      await bucket("sessions", SessionRecordSchema),
      await bucket("contracts", StoredContractSchema),
      await bucket("resources", ResourceRecordSchema),
      await bucket("connections", PresenceRecordSchema),
      await bucket("denials", DenialRecordSchema),
    );
  }
}
