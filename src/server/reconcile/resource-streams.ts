import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import { jobStreamConfigs } from "../../contracts/index.ts";

/** The KV stream of a service bucket (runtime-wire.md §6): same shape the KV client creates. */
export function kvStreamConfig(
  bucket: string,
  options: { history: number; ttlMs: number; maxValueBytes: number | undefined },
  replicas: number,
): Partial<StreamConfig> & { name: string } {
  const maxAge = nanos(options.ttlMs);
  const window = nanos(120_000);
  return {
    name: `KV_${bucket}`,
    subjects: [`$KV.${bucket}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    max_msgs_per_subject: options.history,
    max_msg_size: options.maxValueBytes ?? -1,
    max_age: maxAge,
    duplicate_window: maxAge > 0 && maxAge < window ? maxAge : window,
    allow_rollup_hdrs: true,
    allow_direct: true,
    num_replicas: replicas,
  };
}

/** The stream of an object store (`OBJ_<name>`, subjects `$O.<name>.C.>` and `.M.>`). */
export function storeStreamConfig(
  name: string,
  options: { ttlMs: number; maxTotalBytes: number | undefined },
  replicas: number,
): Partial<StreamConfig> & { name: string } {
  return {
    name: `OBJ_${name}`,
    subjects: [`$O.${name}.C.>`, `$O.${name}.M.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    max_age: nanos(options.ttlMs),
    max_bytes: options.maxTotalBytes ?? -1,
    allow_rollup_hdrs: true,
    allow_direct: true,
    num_replicas: replicas,
  };
}

/** Creates the stream, or updates its limits in place when it exists. */
export async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<void> {
  try {
    const info = await jsm.streams.info(config.name);
    const limitsChanged =
      info.config.max_age !== config.max_age ||
      info.config.max_msgs_per_subject !== (config.max_msgs_per_subject ?? info.config.max_msgs_per_subject) ||
      info.config.max_bytes !== (config.max_bytes ?? info.config.max_bytes) ||
      info.config.max_msg_size !== (config.max_msg_size ?? info.config.max_msg_size);
    if (limitsChanged) await jsm.streams.update(config.name, { ...info.config, ...config });
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add(config);
  }
}

/**
 * The jobs streams (jobs.md §4: "reconciliation creates these before
 * jobs-enabled services start"): created when missing, never changed here
 * (`trellis infra apply` creates them too and reports their drift).
 */
export async function ensureJobStreams(jsm: JetStreamManager, replicas: number): Promise<void> {
  for (const config of jobStreamConfigs(replicas)) {
    try {
      await jsm.streams.info(config.name);
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
      await jsm.streams.add(config as unknown as Partial<StreamConfig> & { name: string });
    }
  }
}
